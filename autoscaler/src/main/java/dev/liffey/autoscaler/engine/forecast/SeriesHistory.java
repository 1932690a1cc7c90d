package dev.liffey.autoscaler.engine.forecast;

/**
 * One series' recent samples (full resolution, a short window) and its long history (the most it
 * was in each minute, eight days) for daily and weekly shape: what capacity a minute needed, which
 * its first sample, the one kept before, could miss by most of a minute's rise. Not thread-safe.
 */
final class SeriesHistory {
  static final int RECENT = 64;
  static final int MINUTES = 8 * 24 * 60;

  private final double[] recentT = new double[RECENT];
  private final double[] recentV = new double[RECENT];
  private int recentCount;
  private int recentHead;

  private final double[] perMinute = new double[MINUTES];
  private long firstMinute = Long.MIN_VALUE;
  private long lastMinute = Long.MIN_VALUE;

  /** Noise: the smoothed absolute one-step error, relative to the level. */
  double relativeError = 0.01;

  void add(double t, double v) {
    recentHead = (recentHead + 1) % RECENT;
    recentT[recentHead] = t;
    recentV[recentHead] = v;
    recentCount = Math.min(RECENT, recentCount + 1);
    long minute = (long) Math.floor(t / 60);
    if (firstMinute == Long.MIN_VALUE) {
      firstMinute = minute;
    }
    if (minute == lastMinute) {
      int i = (int) Math.floorMod(minute, MINUTES);
      perMinute[i] = Math.max(perMinute[i], v);
    } else {
      for (long m = lastMinute == Long.MIN_VALUE ? minute : lastMinute + 1; m <= minute; m++) {
        perMinute[(int) Math.floorMod(m, MINUTES)] = v;
      }
    }
    lastMinute = minute;
  }

  int size() {
    return recentCount;
  }

  /** The i-th most recent sample (0 = latest). */
  double t(int i) {
    return recentT[Math.floorMod(recentHead - i, RECENT)];
  }

  double v(int i) {
    return recentV[Math.floorMod(recentHead - i, RECENT)];
  }

  /** Seconds of per-minute history held. */
  double spanSeconds() {
    return firstMinute == Long.MIN_VALUE ? 0 : (lastMinute - firstMinute) * 60.0;
  }

  /** The most the series was in the minute of {@code t}, if held. */
  double at(double t) {
    long minute = (long) Math.floor(t / 60);
    if (firstMinute == Long.MIN_VALUE
        || minute < firstMinute
        || minute > lastMinute
        || lastMinute - minute >= MINUTES) {
      return Double.NaN;
    }
    return perMinute[(int) Math.floorMod(minute, MINUTES)];
  }
}
