package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.core.media.Ladder;
import dev.liffey.core.media.LadderMix;

/**
 * A region's live streams on its transcoders in one step: each stream takes its ladder's share of a
 * full-ladder slot ({@link Ladder#slotShare}). The streams the region's last ladder plan was made
 * for keep their ladders (fewer streams than it was made for keep its proportions) and take their
 * slots first, fullest ladder first; a stream gone live since is placed by its transcoder agent on
 * the fullest ladder the free slots allow ({@link LadderMix}), and where none is free the agents
 * shorten running streams' ladders to make room rather than let it wait. Streams left without a
 * slot even so wait. With no plan (policies that never shorten a ladder) every stream is on the
 * full ladder. A ladder on-call forced is every stream's, and nothing is shortened to make room.
 *
 * @param waiting streams no slot is left for
 * @param shortened streams transcoded on a ladder shorter than the full one
 */
record Transcoding(double waiting, double shortened) {

  static Transcoding of(double streams, double slots, LadderPlan plan) {
    double free = Math.max(0, slots);
    if (plan == null || plan.streams() <= 0) {
      double fits = Math.min(streams, free);
      return new Transcoding(streams - fits, 0);
    }
    if (plan.forced().isPresent()) {
      // On-call's ladder for every stream, new ones too: the agents shorten none to make room.
      Ladder ladder = plan.forced().get();
      double fits = Math.min(streams, free / ladder.slotShare());
      return new Transcoding(streams - fits, ladder == Ladder.FULL ? 0 : fits);
    }
    double scale = Math.min(1, streams / plan.streams());
    double waiting = 0;
    double shortened = 0;
    for (Ladder l : Ladder.values()) {
      double n = (plan.on(l) + (l == Ladder.FROM_480 ? plan.waiting() : 0)) * scale;
      double fits = Math.min(n, free / l.slotShare());
      free -= fits * l.slotShare();
      waiting += n - fits;
      if (l != Ladder.FULL) {
        shortened += fits;
      }
    }
    LadderMix joining = LadderMix.fit(Math.max(0, streams - plan.streams()), free);
    Transcoding planned =
        new Transcoding(waiting + joining.waiting(), shortened + joining.shortened());
    if (planned.waiting() <= 0) {
      return planned;
    }
    // A stream that would wait while shorter ladders for the others make room does not: the agents
    // shorten running streams at once (the engine re-plans at the next tick).
    LadderMix all = LadderMix.fit(streams, slots);
    return all.waiting() < planned.waiting()
        ? new Transcoding(all.waiting(), all.shortened())
        : planned;
  }
}
