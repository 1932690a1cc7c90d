package dev.liffey.autoscaler.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Sample;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How many of a period's refused viewers got in later in it, read from the periods around it. */
class LateAdmissionsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
  private static final MarketRegion IE = new MarketRegion("IE", "eu-west-1");
  private static final MarketRegion GB = new MarketRegion("GB", "eu-west-1");

  private final LateAdmissions late = new LateAdmissions(TestConfigs.repository());

  /**
   * Dublin's period {@code i}: its viewers at the end, refused in it; {@code relays} all through.
   */
  private Metrics period(
      int i, double ie, double ieRefused, double gb, double gbRefused, int relays) {
    Instant start = T0.plusSeconds(10L * i);
    Instant end = start.plus(Metrics.PERIOD);
    Metrics m =
        new Metrics(
            end,
            Map.of(IE, new Sample(ie, end), GB, new Sample(gb, end)),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(IE, new Sample(ieRefused, end), GB, new Sample(gbRefused, end)),
            Map.of(),
            Map.of(),
            Set.of(),
            Map.of("eu-west-1", new Sample(relays, start)),
            Map.of(),
            Map.of(),
            Map.of());
    return late.withoutLateAdmissions(m, (region, since) -> relays);
  }

  private static double refused(Metrics m, MarketRegion key) {
    return m.rejectedJoins().get(key).value();
  }

  @Test
  void growthPastTheRoomThePeriodBeganWith_isTakenFromTheRefused_eachMarketByItsShare() {
    period(0, 4_500, 1_500, 1_500, 500, 4); // 4 relays, 6,000 slots, all full
    // 2,000 more are watching than there was room for: the refused got in on slots that came.
    Metrics m = period(1, 6_000, 1_500, 2_000, 500, 4);

    assertThat(refused(m, IE)).isCloseTo(0, within(1e-9));
    assertThat(refused(m, GB)).isCloseTo(0, within(1e-9));
  }

  @Test
  void partOfTheRefusedGettingIn_leavesTheRestWaiting() {
    period(0, 4_500, 3_000, 1_500, 1_000, 4);
    Metrics m = period(1, 5_250, 3_000, 1_750, 1_000, 4); // 1,000 of 4,000 got in

    assertThat(refused(m, IE)).isCloseTo(2_250, within(1e-6));
    assertThat(refused(m, GB)).isCloseTo(750, within(1e-6));
  }

  @Test
  void joinsThatFilledTheRoomThePeriodBeganWith_leaveTheRefusedAlone() {
    period(0, 3_000, 0, 1_000, 0, 6); // 9,000 slots, 5,000 free
    Metrics m = period(1, 6_750, 750, 2_250, 250, 6); // the room filled, 1,000 more refused

    assertThat(refused(m, IE)).isEqualTo(750);
    assertThat(refused(m, GB)).isEqualTo(250);
  }

  @Test
  void withoutThePeriodBefore_nothingIsTakenOut() {
    period(0, 4_500, 1_500, 1_500, 500, 4);
    Metrics m = period(2, 6_000, 1_500, 2_000, 500, 4); // a period missed in between

    assertThat(refused(m, IE)).isEqualTo(1_500);
  }

  @Test
  void aPeriodReadAgain_isCorrectedAgainstTheSamePeriodBefore() {
    period(0, 4_500, 1_500, 1_500, 500, 4);
    period(1, 6_000, 1_500, 2_000, 500, 4);
    Metrics again = period(1, 6_000, 1_500, 2_000, 500, 4); // a 5 s tick reads it twice

    assertThat(refused(again, IE)).isCloseTo(0, within(1e-9));
  }
}
