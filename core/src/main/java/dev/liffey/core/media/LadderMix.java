package dev.liffey.core.media;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many streams go on each ladder so that as many as possible get a transcoder slot, and, of
 * those, as few as possible a shortened ladder: all on the full ladder while the slots hold them;
 * then the fewest on 720/480/360; then the fewest of those on 480/360; then, every stream on
 * 480/360, the rest wait. The engine plans with it (in whole streams) and a transcoder agent places
 * a stream going live with it (one at a time). Immutable.
 *
 * @param streams per ladder (fractional where streams are averaged over time)
 * @param waiting streams no slot is left for
 */
public record LadderMix(Map<Ladder, Double> streams, double waiting) {
  private static final double EPSILON = 1e-9;

  public LadderMix {
    streams = Collections.unmodifiableMap(new EnumMap<>(streams));
  }

  /** The mix for {@code streams} live streams on {@code slots} full-ladder slots. */
  public static LadderMix fit(double streams, double slots) {
    Map<Ladder, Double> on = new EnumMap<>(Ladder.class);
    double free = Math.max(0, slots);
    double mid = Ladder.FROM_720.slotShare();
    double low = Ladder.FROM_480.slotShare();
    if (streams <= free + EPSILON) {
      on.put(Ladder.FULL, streams);
      return new LadderMix(on, 0);
    }
    if (streams * mid <= free + EPSILON) {
      // full + shorter = streams, full + mid x shorter = free
      double shorter = (streams - free) / (1 - mid);
      on.put(Ladder.FULL, streams - shorter);
      on.put(Ladder.FROM_720, shorter);
      return new LadderMix(on, 0);
    }
    if (streams * low <= free + EPSILON) {
      double shortest = (streams * mid - free) / (mid - low);
      on.put(Ladder.FROM_720, streams - shortest);
      on.put(Ladder.FROM_480, shortest);
      return new LadderMix(on, 0);
    }
    double fit = free / low;
    on.put(Ladder.FROM_480, fit);
    return new LadderMix(on, streams - fit);
  }

  /** Streams on {@code ladder}. */
  public double on(Ladder ladder) {
    return streams.getOrDefault(ladder, 0.0);
  }

  /** Streams on a ladder shorter than the full one. */
  public double shortened() {
    return on(Ladder.FROM_720) + on(Ladder.FROM_480);
  }
}
