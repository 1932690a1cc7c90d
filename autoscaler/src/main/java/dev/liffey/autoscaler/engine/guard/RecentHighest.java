package dev.liffey.autoscaler.engine.guard;

/**
 * The highest value noted at or after a time, for a window sliding forward: only the values no
 * later one is at least as high as are kept (oldest and highest first), so the answer is the first
 * kept at or after the time, and a fleet whose recommendation holds steady keeps one. The guard
 * asks this of every fleet every tick; scanning a window's worth of recommendations for each of
 * 10,000 fleets was a tenth of a tick. Times are epoch ms. Not thread-safe.
 */
final class RecentHighest {
  private long[] at = new long[4];
  private int[] value = new int[4];
  private int head;
  private int size;

  /**
   * Notes {@code v} at {@code atMillis}, and forgets what was noted before {@code forgetBefore}.
   */
  void note(long atMillis, int v, long forgetBefore) {
    while (size > 0 && at[head] < forgetBefore) {
      head = (head + 1) & (at.length - 1);
      size--;
    }
    // A value no higher than this one, noted earlier, can never be the highest again.
    while (size > 0 && value[(head + size - 1) & (at.length - 1)] <= v) {
      size--;
    }
    if (size == at.length) {
      grow();
    }
    int tail = (head + size) & (at.length - 1);
    at[tail] = atMillis;
    value[tail] = v;
    size++;
  }

  /** The highest value noted at or after {@code fromMillis}; 0 if none. */
  int since(long fromMillis) {
    for (int i = 0; i < size; i++) {
      int j = (head + i) & (at.length - 1);
      if (at[j] >= fromMillis) {
        return value[j];
      }
    }
    return 0;
  }

  private void grow() {
    long[] moreAt = new long[at.length * 2];
    int[] moreValue = new int[at.length * 2];
    for (int i = 0; i < size; i++) {
      int j = (head + i) & (at.length - 1);
      moreAt[i] = at[j];
      moreValue[i] = value[j];
    }
    at = moreAt;
    value = moreValue;
    head = 0;
  }
}
