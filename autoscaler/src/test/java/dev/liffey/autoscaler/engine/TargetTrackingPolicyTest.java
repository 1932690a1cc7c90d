package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Target tracking as EC2 Auto Scaling runs it, on the one-minute and the 10 s metric; services by
 * HPA.
 */
class TargetTrackingPolicyTest {
  private static final FleetId DUBLIN_RELAYS = FleetId.relay("eu-west-1");
  private final Observations obs = new Observations();

  private FleetPlan relays(Decision d) {
    return Plans.of(d, DUBLIN_RELAYS);
  }

  /** Ticks every 10 s from T0 + {@code from} to T0 + {@code to}; fleets keep their state. */
  private List<Decision> run(ScalingPolicy policy, int from, int to) {
    List<Decision> out = new ArrayList<>();
    for (int s = from; s <= to; s += 10) {
      out.add(policy.decide(obs.at(Observations.T0.plusSeconds(s)).build()));
    }
    return out;
  }

  @Test
  void doesNotScaleOutOnTwoHighMinutes_butDoesOnTheThird() {
    ScalingPolicy tracking = new TargetTrackingPolicy(obs.config);
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10)
        .viewers("IE", "eu-west-1", 6_000); // 100% of 4 relays, target 90%

    List<Decision> twoMinutes = run(tracking, 10, 170);
    Decision third = run(tracking, 180, 180).get(0);

    assertThat(twoMinutes).allMatch(d -> !relays(d).changes());
    assertThat(relays(third).reason())
        .isEqualTo(
            "scale out relay eu-west-1 4→5: target tracking, utilization 100%"
                + " > 90% for 3 datapoints of 60s (now 6,000 viewers)");
  }

  @Test
  void theHighResolutionMetricScalesOutAfter30Seconds() {
    ScalingPolicy tracking = TargetTrackingPolicy.highResolution(obs.config);
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10).viewers("IE", "eu-west-1", 8_100); // 135%

    List<Decision> first20s = run(tracking, 10, 20);
    Decision at30s = run(tracking, 30, 30).get(0);

    assertThat(first20s).allMatch(d -> !relays(d).changes());
    assertThat(tracking.name()).isEqualTo("target-tracking-10s");
    assertThat(relays(at30s).target()).isEqualTo(6); // ceil(4 x 1.35 / 0.9)
    assertThat(relays(at30s).reason()).contains("for 3 datapoints of 10s");
  }

  @Test
  void asksForTheSameCapacityAgainWhileLaunchedInstancesWarmUp() {
    ScalingPolicy tracking = TargetTrackingPolicy.highResolution(obs.config);
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10).viewers("IE", "eu-west-1", 8_100);
    assertThat(relays(run(tracking, 10, 30).get(2)).target()).isEqualTo(6);

    obs.fleet(DUBLIN_RELAYS, 6, 4, 8); // two booting, not counted in the capacity

    assertThat(run(tracking, 40, 60)).allMatch(d -> relays(d).target() == 6);
  }

  @Test
  void scalesInAfter15MinutesBelow90PercentOfTheTarget_notBefore() {
    ScalingPolicy tracking = new TargetTrackingPolicy(obs.config);
    obs.fleet(DUBLIN_RELAYS, 10, 10, 10).viewers("IE", "eu-west-1", 4_050); // 27% of 10 relays

    List<Decision> fourteenMinutes = run(tracking, 10, 890);
    Decision fifteenth = run(tracking, 900, 900).get(0);

    assertThat(fourteenMinutes).allMatch(d -> !relays(d).changes());
    assertThat(relays(fifteenth).reason())
        .isEqualTo(
            "scale in relay eu-west-1 10→4: target tracking, utilization 27%"
                + " < 81% for 15 datapoints of 60s (now 4,050 viewers)"); // ceil(10 x 0.27 / 0.9) =
    // 3, the group's min is 4
  }

  @Test
  void neverScalesInWhileInstancesOfAScaleOutWarmUp() {
    ScalingPolicy tracking = TargetTrackingPolicy.highResolution(obs.config);
    obs.fleet(DUBLIN_RELAYS, 11, 10, 10).viewers("IE", "eu-west-1", 4_050);

    List<Decision> decisions = run(tracking, 10, 600);

    assertThat(decisions).allMatch(d -> relays(d).target() == 11);
    assertThat(relays(decisions.get(decisions.size() - 1)).reason())
        .isEqualTo(
            "hold relay eu-west-1 at 11: target"
                + " tracking, utilization 27% < 81% for 60 datapoints of 10s, but instances are still warming up (now 4,050"
                + " viewers)");
  }

  @Test
  void aMissingMetricScalesNothing() {
    ScalingPolicy tracking = TargetTrackingPolicy.highResolution(obs.config);
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10).viewers("IE", "eu-west-1", 20_000);
    obs.missingViewers.add(new MarketRegion("GB", "eu-west-1"));

    List<Decision> decisions = run(tracking, 10, 300);

    assertThat(decisions).allMatch(d -> !relays(d).changes());
    assertThat(relays(decisions.get(0)).reason())
        .isEqualTo(
            "hold relay eu-west-1 at 4: target tracking, no"
                + " datapoint (now viewers metric missing or stale)");
  }

  @Test
  void servicesScaleAsHpaDoes_atOnceAndWithinItsScaleUpLimit() {
    ScalingPolicy tracking = new TargetTrackingPolicy(obs.config);
    FleetId chat = FleetId.service("eu-west-1", "chat");
    obs.viewers("IE", "eu-west-1", 20_000);

    Decision first = run(tracking, 0, 0).get(0);

    FleetPlan plan = Plans.of(first, chat);
    assertThat(plan.reason())
        .isEqualTo(
            "scale out chat eu-west-1 3→6: HPA, 20,000 viewers at 3,600 a replica"
                + " target, ratio 1.85 beyond ±10%");
  }
}
