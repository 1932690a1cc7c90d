package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.StepScalingPolicy;
import org.junit.jupiter.api.Test;

/**
 * Target tracking on the 10 s metric plus the spike steps: +100% from 1.5x the target, +200% from
 * 2x.
 */
class StepScalingPolicyTest {
  private static final FleetId DUBLIN_RELAYS = FleetId.relay("eu-west-1");
  private final Observations obs = new Observations();
  private final ScalingPolicy steps = new StepScalingPolicy(obs.config);

  private FleetPlan relaysAt(int seconds) {
    return Plans.of(
        steps.decide(obs.at(Observations.T0.plusSeconds(seconds)).build()), DUBLIN_RELAYS);
  }

  @Test
  void addsTheLargeStepOnA2xBreachAtOnce_whereTargetTrackingWaitsThreeDatapoints() {
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10)
        .viewers("IE", "eu-west-1", 11_400); // 190%, beyond 2x the 90% target

    FleetPlan first = relaysAt(10);

    assertThat(first.reason())
        .isEqualTo(
            "scale out relay eu-west-1 4→12: step scaling +200%, utilization 190% >="
                + " 2.0x the 90% target for 1 datapoint of 10s (now 11,400 viewers)");
  }

  @Test
  void addsTheSmallStepFrom1point5x() {
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10)
        .viewers("IE", "eu-west-1", 8_400); // 140%, beyond 1.5x the target

    assertThat(relaysAt(10).target()).isEqualTo(8);
  }

  @Test
  void launchesNothingMoreWhileTheStepsInstancesWarmUp_andTargetTrackingAsksForLess() {
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10).viewers("IE", "eu-west-1", 11_400);
    assertThat(relaysAt(10).target()).isEqualTo(12);
    obs.fleet(DUBLIN_RELAYS, 12, 4, 2); // eight warming up

    assertThat(relaysAt(20).target()).isEqualTo(12); // +200% of the 4 in service, already asked for
    assertThat(relaysAt(30).target())
        .isEqualTo(12); // target tracking's third datapoint: ceil(4 x 1.9 / 0.9) = 9
  }

  @Test
  void belowTheStepThresholdOnlyTargetTrackingActs() {
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10).viewers("IE", "eu-west-1", 6_600); // 110%

    assertThat(relaysAt(10).changes()).isFalse();
    assertThat(relaysAt(20).changes()).isFalse();
    assertThat(relaysAt(30).reason()).startsWith("scale out relay eu-west-1 4→5: target tracking");
  }
}
