package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.core.media.Ladder;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class GpuShortageTest {
  private static final FleetId L4 = FleetId.transcode("eu-west-1", "g6.2xlarge");
  private static final FleetId A10G = FleetId.transcode("eu-west-1", "g5.2xlarge");

  /** Liffey's last decision after 31 ticks (five minutes) of Dublin's streams by tick. */
  private static Decision fiveMinutesOfDublinStreams(IntToDoubleFunction streamsAt) {
    Observations obs = new Observations();
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    Decision d = null;
    for (int i = 0; i <= 30; i++) {
      obs.at(Observations.T0.plusSeconds(10L * i));
      obs.streams.put("eu-west-1", streamsAt.applyAsDouble(i));
      d = liffey.decide(obs.build());
    }
    return d;
  }

  private FleetPlan plan(Decision d, FleetId id) {
    return Plans.of(d, id);
  }

  @Test
  void streamsGoToThePreferredL4_untilEc2HasNoneLeft_thenToTheA10g() {
    Observations obs = new Observations();
    obs.streams.put("eu-west-1", 35.0);

    Decision normal = new LiffeyPolicy(obs.config).decide(obs.build());
    assertThat(plan(normal, L4).target()).isEqualTo(4);
    assertThat(plan(normal, A10G).target()).isZero();

    Observations shortOfL4 = new Observations();
    shortOfL4.streams.put("eu-west-1", 35.0);
    shortOfL4.fleets.put(L4, new FleetState(L4, 4, 1, 0, 0, 3, true));

    Decision fallback = new LiffeyPolicy(shortOfL4.config).decide(shortOfL4.build());

    assertThat(plan(fallback, L4).target()).isLessThanOrEqualTo(4);
    assertThat(plan(fallback, A10G).target())
        .isEqualTo(5); // the 26 streams one L4 cannot carry, 6 a g5
    assertThat(plan(fallback, A10G).reason())
        .contains("EC2 capacity shortage of g6.2xlarge: next type instead");
  }

  @Test
  void streamsGoingLiveKeepFreeLadderSlots_forThoseThatMayComeBeforeAGpuCouldBeHadBack() {
    // 9 streams on one L4 for five minutes, one going live every 20 s for the last two.
    Decision d = fiveMinutesOfDublinStreams(tick -> tick < 18 ? 9.0 : 9.0 + (tick - 17) / 2);

    FleetPlan l4 = plan(d, L4);
    assertThat(l4.reason()).contains("free slots for streams going live within 80s");
    // 15 streams now, a Poisson(0.05/s x 80 s) quantile of 8 free slots beyond the trend: 3 L4s.
    assertThat(l4.target()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void steadyStreamsFillTheirLadderSlots_theHeadroomIsForStreamsGoingLive() {
    // 20 streams for five minutes, none going live: two L4s carry them, one ladder slot each.
    Decision d = fiveMinutesOfDublinStreams(tick -> 20.0);

    assertThat(plan(d, L4).target())
        .as("a GPU's slots have no queue to keep headroom for: 20 slots, not 20 / 0.9")
        .isEqualTo(2);
  }

  @Test
  void aRegionOnShortenedLadders_getsTheSlotItsFullLadderNeedsToComeBack() {
    Observations obs = new Observations();
    obs.streams.put("eu-west-1", 20.0);
    obs.fleet(L4, 2, 2, 0);
    obs.control =
        ControlState.EMPTY.withLadders(
            Map.of(
                "eu-west-1",
                new ControlState.LaddersInForce(
                    Observations.T0,
                    new LadderPlan(
                        "eu-west-1",
                        20,
                        Map.of(Ladder.FULL, 18, Ladder.FROM_720, 2),
                        0,
                        20,
                        true,
                        "shortened"))));

    FleetPlan l4 = plan(new LiffeyPolicy(obs.config).decide(obs.build()), L4);

    assertThat(l4.target()).as("20 slots hold 20 streams, but not on the full ladder").isEqualTo(3);
    assertThat(l4.reason()).contains("+ 1 for the full ladder to come back");
  }
}
