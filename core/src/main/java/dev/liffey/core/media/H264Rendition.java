package dev.liffey.core.media;

/**
 * How a rung is encoded and announced, agreed by the transcoders (their encoders' profile and
 * level) and the relays (each rendition's mountpoint's {@code profile-level-id}): H.264 Constrained
 * Baseline, which every WebRTC browser decodes (Firefox's OpenH264 decodes nothing else), at the
 * lowest level that carries the rung at {@link #MAX_FRAME_RATE}.
 */
public final class H264Rendition {
  /** The highest frame rate a studio may send; the levels are chosen for it. */
  public static final int MAX_FRAME_RATE = 60;

  /** level_idc, max macroblocks a second, max frame size in macroblocks (H.264 Table A-1). */
  private static final int[][] LEVELS = {
    {30, 40_500, 1_620},
    {31, 108_000, 3_600},
    {32, 216_000, 5_120},
    {40, 245_760, 8_192},
    {42, 522_240, 8_704},
    {50, 589_824, 22_080},
    {51, 983_040, 36_864},
    {52, 2_073_600, 36_864}
  };

  private H264Rendition() {}

  /** The level_idc (31 for 3.1) of a 16:9 rung of {@code height} at {@link #MAX_FRAME_RATE}. */
  public static int levelIdc(int height) {
    int mbs = macroblocks(Ladder.widthOf(height)) * macroblocks(height);
    long perSecond = (long) mbs * MAX_FRAME_RATE;
    for (int[] level : LEVELS) {
      if (mbs <= level[2] && perSecond <= level[1]) {
        return level[0];
      }
    }
    throw new IllegalArgumentException(
        height + "p at " + MAX_FRAME_RATE + " fps is above level 5.2");
  }

  /** The level as encoders take it: {@code 4.2}. */
  public static String level(int height) {
    int idc = levelIdc(height);
    return idc / 10 + "." + idc % 10;
  }

  /**
   * The rung's SDP {@code fmtp}: Constrained Baseline (profile_idc 0x42, constraint flags 0xe0) at
   * its level, packetization mode 1 (FU-A, as FFmpeg's RTP muxer sends).
   */
  public static String fmtp(int height) {
    return String.format("profile-level-id=42e0%02x;packetization-mode=1", levelIdc(height));
  }

  private static int macroblocks(int pixels) {
    return (pixels + 15) / 16;
  }
}
