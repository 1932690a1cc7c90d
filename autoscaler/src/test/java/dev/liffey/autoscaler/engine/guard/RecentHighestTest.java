package dev.liffey.autoscaler.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentHighestTest {
  @Test
  void answersTheHighestNotedSinceATime_asAScanOfEveryValueWould() {
    RecentHighest highest = new RecentHighest();
    long[] at = new long[400];
    int[] value = new int[400];
    Random random = new Random(7);
    long window = 300_000;
    for (int i = 0; i < at.length; i++) {
      at[i] = i * 10_000L;
      // Steady stretches, climbs and collapses, as recommendations go.
      value[i] = i % 50 < 20 ? 12 : random.nextInt(40);
      highest.note(at[i], value[i], at[i] - window - 10_000);
      for (long back : new long[] {0, 10_000, 60_000, 120_000, 300_000}) {
        long from = at[i] - back;
        int scanned = 0;
        for (int j = 0; j <= i; j++) {
          if (at[j] >= from) {
            scanned = Math.max(scanned, value[j]);
          }
        }
        assertThat(highest.since(from))
            .as("at %d, since %d s back", at[i], back / 1000)
            .isEqualTo(scanned);
      }
    }
  }

  @Test
  void nothingNotedSinceIsZero() {
    RecentHighest highest = new RecentHighest();
    assertThat(highest.since(0)).isZero();
    highest.note(1_000, 5, 0);
    assertThat(highest.since(2_000)).isZero();
    assertThat(highest.since(1_000)).isEqualTo(5);
  }
}
