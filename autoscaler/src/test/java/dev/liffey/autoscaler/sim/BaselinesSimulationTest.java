package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.core.config.EdgeConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AWS baselines and the oracles on the bundled traces, through the real control loop. */
class BaselinesSimulationTest {
  private final EdgeConfig config = TestConfigs.repository();

  private Simulation simulation(String traceName) throws Exception {
    return new Simulation(config, BundledTraces.load(config, traceName), Simulation.DEFAULT_START);
  }

  private List<String> reasons(Simulation sim, String policy) {
    List<String> out = new ArrayList<>();
    sim.run(() -> Policies.create(policy, config, null), (Decision d) -> out.addAll(d.reasons()));
    return out;
  }

  @Test
  void everyBaselineIsRegisteredByName() {
    assertThat(Policies.NAMES)
        .containsExactly(
            "liffey",
            "target-tracking",
            "static",
            "oracle",
            "target-tracking-10s",
            "step-scaling",
            "predictive",
            "oracle-at-target",
            "oracle-reactive",
            "liffey-fixed-routing",
            "oracle-rerouting",
            "oracle-rerouting-at-target",
            "oracle-reactive-rerouting");
  }

  @Test
  void theOracleAtTargetServesEveryViewer_costingMoreThanTheOracleAndKeepingViewersFast()
      throws Exception {
    Simulation sim = simulation("match");

    Scorecard floor = sim.run("oracle");
    Scorecard fair = sim.run("oracle-at-target");

    assertThat(fair.unservedViewerSeconds()).isZero();
    assertThat(fair.costUsd()).isGreaterThan(floor.costUsd() * 1.05);
    // At 90% the queue's tail still leaves a few percent of viewer-seconds over the SLO; at 100%,
    // most.
    assertThat(fair.slowViewerSeconds()).isLessThan(floor.slowViewerSeconds() / 10);
  }

  @Test
  void
      withLiffeysRouter_aBaselineMovesIrishJoinsOffTheSlowRegion_whileStaticAndTheOracleKeepTheirWeights()
          throws Exception {
    Simulation sim = simulation("dublin-latency-incident");

    Scorecard fixed = sim.run("target-tracking", BaselineRouting.FIXED);
    Scorecard routed = sim.run("target-tracking", BaselineRouting.LIFFEY);

    assertThat(routed.policy()).isEqualTo("target-tracking");
    assertThat(routed.slowViewerSeconds()).isLessThan(fixed.slowViewerSeconds() * 0.9);
    assertThat(routed.scalingActions()).isGreaterThan(fixed.scalingActions());
    assertThat(sim.run("oracle", BaselineRouting.LIFFEY))
        .isEqualTo(sim.run("oracle", BaselineRouting.FIXED));
  }

  @Test
  void theReactiveOracleLosesOnlyWhatBootTimesForce_lessThanAnyPolicyThatWaitsForMetrics()
      throws Exception {
    Simulation sim = simulation("viral-spike");

    Scorecard reactive = sim.run("oracle-reactive");
    Scorecard foresight = sim.run("oracle-at-target");
    Scorecard tracking = sim.run("target-tracking-10s");

    assertThat(foresight.unservedViewerSeconds()).isZero();
    assertThat(reactive.unservedViewerSeconds())
        .isPositive()
        .isLessThan(tracking.unservedViewerSeconds());
  }

  @Test
  void highResolutionMetricsLoseFewerViewersOnTheViralSpike_andEveryDecisionSaysWhy()
      throws Exception {
    Simulation sim = simulation("viral-spike");

    Scorecard minute = sim.run("target-tracking");
    Scorecard tenSeconds = sim.run("target-tracking-10s");

    assertThat(tenSeconds.unservedViewerSeconds()).isLessThan(0.5 * minute.unservedViewerSeconds());
    assertThat(reasons(sim, "step-scaling"))
        .anyMatch(
            r ->
                r.matches(
                    "scale out [a-z0-9. -]+ \\d+→\\d+: step scaling \\+\\d+%, utilization \\d+% >= [\\d.]+x the 90%"
                        + " target .*"));
    assertThat(reasons(sim, "predictive"))
        .filteredOn(r -> r.contains(": target tracking"))
        .isNotEmpty()
        .allMatch(
            r ->
                r.matches(
                    ".*; predictive: \\d+\\.\\d h of history, forecasts need 24 h, so target"
                        + " tracking alone"));
  }
}
