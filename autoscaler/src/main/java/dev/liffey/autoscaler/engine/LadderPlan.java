package dev.liffey.autoscaler.engine;

import dev.liffey.core.media.Ladder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ABR ladders a region's live streams get, and why: how many streams on each ladder, fullest
 * first, and how many find no transcoder slot even on the shortest.
 *
 * @param streams live streams the plan was made for
 * @param byLadder streams per ladder; the transcoders give the shorter ones to the streams with the
 *     fewest viewers
 * @param waiting streams no slot is left for, even on the shortest ladder
 * @param slots full-ladder slots of the region's transcoders in service
 * @param changes whether it differs from the plan before it
 * @param forced on-call's ladder for every stream, if on-call forced one: the agents then give each
 *     stream that ladder, new ones too, and shorten none to make room
 */
public record LadderPlan(
    String region,
    int streams,
    Map<Ladder, Integer> byLadder,
    int waiting,
    double slots,
    boolean changes,
    String reason,
    Optional<Ladder> forced) {

  /** The engine's own plan. */
  public LadderPlan(
      String region,
      int streams,
      Map<Ladder, Integer> byLadder,
      int waiting,
      double slots,
      boolean changes,
      String reason) {
    this(region, streams, byLadder, waiting, slots, changes, reason, Optional.empty());
  }

  public LadderPlan {
    Map<Ladder, Integer> copy = new EnumMap<>(Ladder.class);
    copy.putAll(byLadder);
    byLadder = Map.copyOf(copy);
  }

  /** Every stream on the full ladder. */
  public boolean full() {
    return waiting == 0 && byLadder.getOrDefault(Ladder.FULL, 0) == streams;
  }

  /** Streams on {@code ladder}. */
  public int on(Ladder ladder) {
    return byLadder.getOrDefault(ladder, 0);
  }

  /** {@code 26x1080/720/480/360 9x720/480/360}, and how many wait: the audit log's words. */
  public String counts() {
    StringBuilder out = new StringBuilder();
    byLadder.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                out.append(out.length() == 0 ? "" : " ")
                    .append(e.getValue())
                    .append('x')
                    .append(e.getKey().label()));
    return waiting > 0 ? out + " " + waiting + " waiting" : out.toString();
  }
}
