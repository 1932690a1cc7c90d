package dev.liffey.edge.transcode;

import dev.liffey.core.media.Ladder;
import dev.liffey.core.media.LadderMix;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which ladder each of one transcoder's streams gets, from its region's ladder plan (the control
 * table's {@code ladderplan#region}: streams per ladder across the region, and on-call's forced
 * ladder if any). The plan counts streams region-wide; a transcoder holds some of them, so it takes
 * the plan's shares for its own streams, rounding towards the shorter ladders (a transcoder never
 * carries more than its share of full ladders), and shortens further where its own slots would not
 * hold them ({@link LadderMix}: a plan made a tick ago does not know the stream that went live
 * since). The streams that come first keep the fuller ladders. Stateless.
 */
public final class LadderAssignment {
  private static final double EPSILON = 1e-9;

  /**
   * A region's plan as the control table has it.
   *
   * @param byLadder streams on each ladder, region-wide
   * @param waiting streams the plan found no slot for (counted on the shortest ladder here)
   * @param forced on-call's ladder for every stream
   */
  public record RegionPlan(Map<Ladder, Integer> byLadder, int waiting, Optional<Ladder> forced) {
    public RegionPlan {
      byLadder = Map.copyOf(byLadder);
    }

    /** No plan written yet: every stream on the full ladder. */
    public static final RegionPlan FULL = new RegionPlan(Map.of(), 0, Optional.empty());
  }

  /**
   * @param ladders each stream's ladder, in the order given
   * @param waiting streams this transcoder has no slot for even on the shortest ladder (or, under a
   *     forced ladder, on that one); the last ones given
   */
  public record Result(Map<String, Ladder> ladders, List<String> waiting) {}

  private LadderAssignment() {}

  /**
   * @param streams this transcoder's streams, the first to keep the fullest ladders first
   * @param slots this transcoder's full-ladder slots
   */
  public static Result assign(List<String> streams, RegionPlan plan, double slots) {
    int k = streams.size();
    Map<String, Ladder> out = new LinkedHashMap<>();
    if (plan.forced().isPresent()) {
      Ladder l = plan.forced().get();
      int fit = Math.min(k, (int) Math.floor(slots / l.slotShare() + EPSILON));
      streams.subList(0, fit).forEach(s -> out.put(s, l));
      return new Result(out, List.copyOf(streams.subList(fit, k)));
    }
    int total =
        plan.byLadder().values().stream().mapToInt(Integer::intValue).sum() + plan.waiting();
    int shortest = 0;
    int shorter = 0;
    if (total > 0) {
      double share480 =
          (plan.byLadder().getOrDefault(Ladder.FROM_480, 0) + plan.waiting()) / (double) total;
      double shareShort =
          share480 + plan.byLadder().getOrDefault(Ladder.FROM_720, 0) / (double) total;
      shortest = ceil(k * share480);
      shorter = Math.max(0, ceil(k * shareShort) - shortest);
    }
    // This transcoder's own slots: shorten further where the plan's shares do not fit them.
    double used =
        (k - shortest - shorter)
            + shorter * Ladder.FROM_720.slotShare()
            + shortest * Ladder.FROM_480.slotShare();
    int waiting = 0;
    if (used > slots + EPSILON) {
      LadderMix m = LadderMix.fit(k, slots);
      waiting = Math.min(k, ceil(m.waiting()));
      shortest = Math.min(k - waiting, Math.max(shortest, ceil(m.on(Ladder.FROM_480))));
      shorter = Math.min(k - waiting - shortest, Math.max(shorter, ceil(m.on(Ladder.FROM_720))));
    }
    Map<Ladder, Integer> counts = new EnumMap<>(Ladder.class);
    counts.put(Ladder.FULL, k - waiting - shortest - shorter);
    counts.put(Ladder.FROM_720, shorter);
    counts.put(Ladder.FROM_480, shortest);
    int i = 0;
    for (Ladder l : Ladder.values()) {
      for (int n = 0; n < counts.get(l); n++) {
        out.put(streams.get(i++), l);
      }
    }
    return new Result(out, List.copyOf(streams.subList(i, k)));
  }

  private static int ceil(double x) {
    return (int) Math.ceil(x - EPSILON);
  }
}
