package dev.liffey.autoscaler.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes' HPA with its default behavior: chat in Dublin, 4,000 viewers a replica, target 90%:
 * 3,600.
 */
class HorizontalPodAutoscalerTest {
  private static final FleetId CHAT = FleetId.service("eu-west-1", "chat");
  private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
  private final HorizontalPodAutoscaler hpa =
      new HorizontalPodAutoscaler(new FleetCatalog(TestConfigs.repository()).get(CHAT), 0.9);
  private int replicas = 3;

  private FleetPlan at(int seconds, double viewers) {
    FleetPlan p =
        hpa.decide(
            T0.plusSeconds(seconds), new FleetState(CHAT, replicas, replicas, 0, 0, 0), viewers);
    replicas = p.target();
    return p;
  }

  @Test
  void keepsTheReplicasWhileTheRatioIsWithinTheTolerance() {
    assertThat(at(0, 11_500).reason())
        .isEqualTo(
            "hold chat eu-west-1 at 3: HPA, 11,500 viewers at 3,600 a replica"
                + " target, ratio 1.06 within ±10%");
    assertThat(at(15, 12_000).reason())
        .startsWith("scale out chat eu-west-1 3→4: HPA, 12,000 viewers");
  }

  @Test
  void scalesUpAtMostByTheLargerOfDoubleAndFourPodsPerPeriod() {
    FleetPlan first = at(0, 100_000);

    assertThat(first.reason())
        .isEqualTo(
            "scale out chat eu-west-1 3→7: HPA, 100,000 viewers at 3,600 a replica"
                + " target, ratio 9.26 beyond ±10% (scale-up limit: +100% or +4 pods per 15s)");
    assertThat(at(20, 100_000).target()).isEqualTo(14);
    assertThat(at(30, 100_000).target()).isEqualTo(28);
  }

  @Test
  void syncsEvery15Seconds_sooner10sTicksFindNothingNew() {
    at(0, 11_000);

    assertThat(at(10, 50_000).reason())
        .isEqualTo(
            "hold chat eu-west-1 at 3: HPA, 11,000 viewers at 3,600 a replica"
                + " target, ratio 1.02 within ±10% (between syncs)");
    assertThat(at(20, 50_000).target()).isEqualTo(7);
  }

  @Test
  void scalesDownOnlyToTheHighestRecommendationOfTheLast300Seconds() {
    replicas = 8;
    at(0, 28_800); // exactly 8 replicas' worth

    for (int s = 15; s < 300; s += 15) {
      FleetPlan held = at(s, 7_200);
      assertThat(held.target()).isEqualTo(8);
      assertThat(held.reason())
          .endsWith("scale-down stabilized at 8, the highest recommendation of the last 300s");
    }
    FleetPlan after = at(300, 7_200);

    assertThat(after.reason())
        .isEqualTo(
            "scale in chat eu-west-1 8→3: HPA, 7,200 viewers at 3,600 a replica target,"
                + " ratio 0.25; highest recommendation of the last 300s is 2, then minReplicas 3");
  }

  @Test
  void noMetricNoRecommendation() {
    assertThat(at(0, Double.NaN).reason())
        .isEqualTo("hold chat eu-west-1 at 3: HPA, metric unavailable: no" + " recommendation");
  }
}
