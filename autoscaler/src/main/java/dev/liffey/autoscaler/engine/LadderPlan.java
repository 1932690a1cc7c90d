package dev.liffey.autoscaler.engine;

import dev.liffey.core.media.Ladder;
import java.util.EnumMap;
import java.util.Map;

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
 */
public record LadderPlan(
    String region,
    int streams,
    Map<Ladder, Integer> byLadder,
    int waiting,
    double slots,
    boolean changes,
    String reason) {

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
}
