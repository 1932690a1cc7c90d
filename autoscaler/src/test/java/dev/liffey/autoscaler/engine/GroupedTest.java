package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupedTest {
  @Test
  void writesWhatTheFormatterWrites_forWholeAndFractionalNumbers_andEveryEdge() {
    double[] edges = {
      0,
      -0.0,
      0.4,
      0.5,
      0.5000001,
      1.5,
      2.5,
      -0.4,
      -0.5,
      -1.5,
      999,
      999.5,
      1000,
      12345.5,
      999_999.5,
      1_000_000,
      -1_234_567.49,
      9.99e14,
      1e15,
      1e20,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY
    };
    for (double v : edges) {
      assertThat(Grouped.of(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%,.0f", v));
    }
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      double v = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(12));
      assertThat(Grouped.of(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%,.0f", v));
      long n = random.nextLong() >> random.nextInt(64);
      assertThat(Grouped.of(n)).as("%d", n).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }
    assertThat(Grouped.of(Long.MIN_VALUE))
        .isEqualTo(String.format(Locale.ROOT, "%,d", Long.MIN_VALUE));
  }
}
