package dev.liffey.core.media;

import java.util.List;

/**
 * The ABR ladders a transcoder can give a stream, fullest first: the full 1080/720/480/360, then
 * shorter ones without the top rungs, so that more streams fit on a GPU when its slots are short. A
 * live platform would rather give a slightly softer picture than a spinning wheel.
 */
public enum Ladder {
  FULL(List.of(1080, 720, 480, 360)),
  FROM_720(List.of(720, 480, 360)),
  FROM_480(List.of(480, 360));

  private final List<Integer> rungs;

  /** The pixels of one frame of every rung. */
  private final double pixels;

  Ladder(List<Integer> rungs) {
    this.rungs = rungs;
    double sum = 0;
    for (int height : rungs) {
      sum += (double) widthOf(height) * height;
    }
    this.pixels = sum;
  }

  /** The renditions' heights, tallest first. */
  public List<Integer> rungs() {
    return rungs;
  }

  /**
   * The share of a full ladder's transcoder slot this ladder takes: its pixel rate over the full
   * ladder's, at one frame rate (an encoder's work grows with the pixels it encodes; the source's
   * decode runs on the GPU's separate decoder). 720/480/360 takes 0.43 of a slot, 480/360 0.18.
   */
  public double slotShare() {
    return pixels / FULL.pixels;
  }

  /** A 16:9 rendition's width: 1920 for 1080, 1280 for 720, 854 for 480, 640 for 360. */
  static int widthOf(int height) {
    int width = (int) Math.round(height * 16 / 9.0);
    return width + (width & 1); // encoders want even dimensions
  }

  /** Its rungs as people write them: {@code 1080/720/480/360}. */
  public String label() {
    return String.join("/", rungs.stream().map(String::valueOf).toList());
  }

  /**
   * The ladder people name by its rungs ({@code 720/480/360}), its top rung ({@code 720}) or {@code
   * full}.
   *
   * @throws IllegalArgumentException naming the ladders there are
   */
  public static Ladder parse(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("p", "");
    for (Ladder l : values()) {
      if (t.equals(l.label()) || t.equals(String.valueOf(l.rungs.get(0)))) {
        return l;
      }
    }
    if (t.equals("full")) {
      return FULL;
    }
    throw new IllegalArgumentException(
        "no ladder '"
            + text
            + "': name one by its rungs or its top rung: "
            + String.join(", ", java.util.Arrays.stream(values()).map(Ladder::label).toList())
            + " (or 1080, 720, 480; full is 1080/720/480/360)");
  }
}
