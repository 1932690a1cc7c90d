package dev.liffey.core.media;

/**
 * A region's ladder plan as a control-table row: what the autoscaler writes and the transcoder
 * agents read, named once for both. Partition {@code control}, sort key {@code
 * ladderplan#<region>}.
 */
public final class LadderPlanRow {
  /** The partition the row is in, with the control table's other singletons. */
  public static final String PARTITION = "control";

  /** The sort key's prefix; the region follows. */
  public static final String PREFIX = "ladderplan";

  /** A map from a ladder's rungs ({@link Ladder#label()}, {@code 720/480/360}) to its streams. */
  public static final String STREAMS_BY_LADDER = "streamsByLadder";

  /** The region's live streams (a number). */
  public static final String STREAMS = "streams";

  /** Streams no transcoder slot holds even on the shortest ladder (a number). */
  public static final String WAITING = "waiting";

  /** The full-ladder slots in service (a decimal number). */
  public static final String SLOTS = "slots";

  /** The ladder on-call forced on every stream, by its rungs; absent when none is. */
  public static final String FORCED = "forced";

  private LadderPlanRow() {}

  /** The sort key of {@code region}'s plan. */
  public static String key(String region) {
    return PREFIX + "#" + region;
  }
}
