package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.Key;
import dev.liffey.autoscaler.engine.ControlState.LadderOrder;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.core.media.Ladder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * On-call's word on a region's ABR ladders: hold the ladders in force (the autoscaler neither
 * shortens nor restores any), or force one ladder on every stream, for a while; then release. Every
 * order ends, as a freeze does: one forgotten after an incident would keep a region's picture soft,
 * or its streams waiting, for good.
 */
public final class LadderActions {
  private final ChangeDesk desk;

  public LadderActions(ChangeDesk desk) {
    this.desk = desk;
  }

  /** The autoscaler changes none of {@code region}'s ladders for {@code lasting}. */
  public Outcome hold(String region, Duration lasting) {
    return order(region, Optional.empty(), lasting);
  }

  /** Every stream of {@code region} on {@code ladder} for {@code lasting}. */
  public Outcome force(String region, Ladder ladder, Duration lasting) {
    return order(region, Optional.of(ladder), lasting);
  }

  private Outcome order(String region, Optional<Ladder> ladder, Duration lasting) {
    if (lasting.compareTo(FreezeActions.LONGEST) > 0) {
      throw new Refused(
          "--for "
              + lasting.toHours()
              + "h is longer than a ladder order may last (at most 24h, as a freeze): order"
              + " again before it ends to keep it");
    }
    ControlState control = desk.look();
    Instant until = desk.now().plus(lasting);
    Key key = Key.ladder(region);
    LadderOrder scope = new LadderOrder(region, ladder, until, "", "");
    String what = Entries.ladders(scope);
    Optional<LadderPlan> inForce =
        Optional.ofNullable(control.ladders().get(region)).map(ControlState.LaddersInForce::plan);
    List<String> notes = new ArrayList<>();
    ladder.ifPresent(l -> inForce.flatMap(p -> waits(p, l)).ifPresent(notes::add));
    return desk.apply(
        new ChangeDesk.Change(
            "ladder",
            what + " until " + until + Entries.replacing(control, key),
            what + " until " + until,
            control
                .entry(key)
                .map(Entries::describe)
                .orElse(inForce.map(p -> "ladders " + p.counts()).orElse("no ladder order")),
            what + " until " + until,
            who ->
                List.of(
                    Write.put(
                        new LadderOrder(region, ladder, until, desk.reason(), who),
                        control.version(key))),
            () -> {},
            notes));
  }

  /**
   * What forcing {@code ladder} costs at the last plan's numbers: streams that would find no slot,
   * said before they wait rather than after.
   */
  private static Optional<String> waits(LadderPlan last, Ladder ladder) {
    int fit = (int) Math.floor(last.slots() / ladder.slotShare() + 1e-9);
    int waiting = last.streams() - fit;
    if (waiting <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "warning: at the last plan's %,d streams on %,.0f transcoder slots, %,d streams of %s"
                + " will wait for a slot on %s until more GPUs are in service",
            last.streams(),
            last.slots(),
            waiting,
            last.region(),
            ladder.label()));
  }

  /** Ends on-call's order on {@code region}'s ladders: the autoscaler chooses them again. */
  public Outcome release(String region) {
    ControlState control = desk.look();
    Key key = Key.ladder(region);
    Optional<ControlState.Entry> order = control.entry(key);
    if (order.isEmpty()) {
      throw new Refused(
          "nothing to release: no ladder order on "
              + region
              + " (see 'liffey status' for the orders in force, and 'liffey history' for past ones)");
    }
    return desk.apply(
        new ChangeDesk.Change(
            "ladder",
            "release the " + Entries.describe(order.get()),
            "released " + region + "'s ladders to the autoscaler",
            Entries.describe(order.get()),
            "no ladder order",
            who -> List.of(Write.remove(key, control.version(key))),
            () -> {},
            List.of()));
  }
}
