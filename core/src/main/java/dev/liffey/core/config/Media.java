package dev.liffey.core.config;

/**
 * What reaches a viewer over the media path. Immutable and thread-safe.
 *
 * @param viewerBitrateMbps the average bitrate delivered to one viewer, in Mbit/s (10^6 bits per
 *     second), over the renditions of the ladder viewers actually watch; what egress is billed on
 * @param jitterMillis the mean of the delay the network adds to a viewer's round trip above the
 *     market's unloaded base latency, in ms (exponentially distributed: the shorter delays the
 *     commoner)
 */
public record Media(double viewerBitrateMbps, double jitterMillis) {
  /**
   * About the HEVC 720p rung of Apple's HLS authoring ladder (2.4 Mbit/s), the middle of Liffey's
   * 1080/720/480/360 ladder: viewers on phones take less, on televisions more.
   */
  public static final double DEFAULT_VIEWER_BITRATE_MBPS = 2.5;

  /**
   * ITU-T Y.1541 bounds IP delay variation for real-time interactive traffic (classes 0 and 1) at
   * 50 ms, as the 99.9th percentile of delay above the minimum; an exponential delay with a mean of
   * 7 ms has its 99.9th percentile there (7 x ln 1000 = 48 ms): a network at its objective.
   */
  public static final double DEFAULT_JITTER_MILLIS = 7.0;

  /** The defaults above: a configuration without a {@code media} block gets them. */
  public static Media defaults() {
    return new Media(DEFAULT_VIEWER_BITRATE_MBPS, DEFAULT_JITTER_MILLIS);
  }

  /** GB (10^9 bytes) delivered to viewers for {@code viewerSeconds} of watching. */
  public double gigabytes(double viewerSeconds) {
    return viewerSeconds * viewerBitrateMbps * 1e6 / 8 / 1e9;
  }
}
