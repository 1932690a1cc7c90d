package dev.liffey.autoscaler.engine.forecast;

/** One demand series the forecaster follows: a market's viewers, or a region's live streams. */
public record SeriesKey(Kind kind, String name) {
  /** What the series counts. */
  public enum Kind {
    VIEWERS,
    STREAMS
  }

  public static SeriesKey viewers(String market) {
    return new SeriesKey(Kind.VIEWERS, market);
  }

  public static SeriesKey streams(String region) {
    return new SeriesKey(Kind.STREAMS, region);
  }

  /** {@code viewers:IE}, {@code streams:eu-west-1}. */
  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
  }
}
