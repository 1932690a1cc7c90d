package dev.liffey.autoscaler.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.core.config.EdgeConfig;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrainPlanTest {
  private final EdgeConfig edge = TestConfigs.repository();
  private final Map<String, Integer> weights = Map.of("eu-west-1", 200, "eu-west-2", 55);
  private final Map<String, String> geo =
      Map.of(
          "IE",
          "ie.edge.live.liffey.example",
          "GB",
          "eu-west-2.edge.live.liffey.example",
          "DE",
          "eu-central-1.edge.live.liffey.example");

  @Test
  void drainingLondonSendsIrishViewersToDublin_andMovesEveryMarketItServes() {
    DrainPlan plan = DrainPlan.drain(edge, "eu-west-2", Set.of(), weights, geo);

    assertThat(plan.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 0));
    assertThat(plan.geo()).isEqualTo(Map.of("GB", "eu-west-1.edge.live.liffey.example"));
  }

  @Test
  void drainingDublin_whenLondonHadNoWeight_givesLondonAllOfIreland() {
    DrainPlan plan =
        DrainPlan.drain(edge, "eu-west-1", Set.of(), Map.of("eu-west-1", 255, "eu-west-2", 0), geo);

    assertThat(plan.weights()).isEqualTo(Map.of("eu-west-1", 0, "eu-west-2", 255));
    assertThat(plan.geo()).isEmpty();
  }

  @Test
  void refusesToLeaveAMarketWithNoRegion() {
    assertThatThrownBy(
            () -> DrainPlan.drain(edge, "eu-central-1", Set.of("eu-west-2"), weights, geo))
        .isInstanceOf(Refused.class)
        .hasMessage(
            "cannot drain eu-central-1: market DE would have no region left (eu-central-1, eu-west-2 are"
                + " drained); undrain one first, or add a region to its servedBy in edge-regions.yaml");
  }

  @Test
  void undrainPointsMarketsBackAtTheirPreferredRegion() {
    Map<String, String> drained =
        Map.of(
            "IE",
            "ie.edge.live.liffey.example",
            "GB",
            "eu-west-1.edge.live.liffey.example",
            "DE",
            "eu-central-1.edge.live.liffey.example");

    DrainPlan plan =
        DrainPlan.undrain(
            edge,
            "eu-west-2",
            Set.of("eu-west-2"),
            Map.of("eu-west-1", 200, "eu-west-2", 0),
            drained);

    assertThat(plan.geo()).isEqualTo(Map.of("GB", "eu-west-2.edge.live.liffey.example"));
    assertThat(plan.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 0));
  }
}
