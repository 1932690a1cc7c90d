package dev.liffey.autoscaler.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class HeldLevelTest {
  private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");

  /** A level counts once held 115 s (a relay's launch), and is remembered 300 s. */
  private final HeldLevel held = new HeldLevel(Duration.ofSeconds(115), Duration.ofSeconds(300));

  /** Notes {@code demand} every 10 s from {@code from} to {@code to}; the level held before it. */
  private double run(int from, int to, IntToDoubleFunction demand) {
    for (int s = from; s <= to; s += 10) {
      held.note(T0.plusSeconds(s), demand.applyAsDouble(s));
    }
    return held.before(T0.plusSeconds(to + 10));
  }

  @Test
  void nothingIsHeld_beforeTheAudienceWasWatchedForAsLongAsALaunchTakes() {
    assertThat(run(0, 100, s -> 20_000)).isZero();
    assertThat(run(110, 120, s -> 20_000)).isEqualTo(20_000);
  }

  @Test
  void aBurstShorterThanALaunch_isNotALevelHeld_butTheAudienceUnderItIs() {
    double before = run(0, 400, s -> s >= 200 && s < 280 ? 30_000 : 15_000);

    assertThat(before).isEqualTo(15_000);
  }

  @Test
  void aBreak_leavesTheLevelHeldBeforeIt_untilThatIsOlderThanTheWindow() {
    run(0, 300, s -> 27_000);
    assertThat(run(310, 500, s -> 12_000)).as("200 s into a break").isEqualTo(27_000);
    assertThat(run(510, 700, s -> 12_000))
        .as("the 27,000 last held at 300 s, over 300 s ago")
        .isEqualTo(12_000);
  }

  @Test
  void trailingExtremes_forgetWhatIsOlderThanTheirSpan() {
    Trailing low = Trailing.lowest(Duration.ofSeconds(30));
    Trailing high = Trailing.highest(Duration.ofSeconds(30));
    double[] values = {5, 3, 8, 6, 9, 7};
    for (int i = 0; i < values.length; i++) {
      low.note(T0.plusSeconds(10L * i), values[i]);
      high.note(T0.plusSeconds(10L * i), values[i]);
    }
    // At 50 s the span holds 20..50 s: 8, 6, 9, 7.
    assertThat(low.extreme(T0.plusSeconds(50), -1)).isEqualTo(6);
    assertThat(high.extreme(T0.plusSeconds(50), -1)).isEqualTo(9);
    assertThat(low.extreme(T0.plusSeconds(200), -1)).as("all forgotten").isEqualTo(-1);
  }
}
