package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The cost floor of avoiding an incident's slowness: the oracle moving Irish joins off a slowed
 * region for as long as the incident lasts, paying for the sessions left there as they end.
 */
class ReroutingOracleTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final Instant START = Simulation.DEFAULT_START;

  // 20,000 Irish and 5,000 British viewers for two hours; Dublin 250 ms slower from 20 to 60 min.
  private static final String CALM =
      "t,kind,key,value\n0,viewers,IE,20000\n0,viewers,GB,5000\n7200,viewers,IE,20000\n";
  private static final String INCIDENT =
      "t,kind,key,value\n0,viewers,IE,20000\n0,viewers,GB,5000\n1200,latency,eu-west-1,250\n"
          + "3600,latency,eu-west-1,0\n7200,viewers,IE,20000\n";

  private static Trace trace(EdgeConfig config, String csv) throws Exception {
    return new TraceParser(config).parse("t.csv", new StringReader(csv));
  }

  private static double london(Simulation.Prepared run) {
    return run.cloud().lastSteps().stream()
        .filter(s -> s.region().equals("eu-west-2"))
        .mapToDouble(RegionStep::servedViewers)
        .sum();
  }

  private static Instant at(long seconds) {
    return START.plusSeconds(seconds);
  }

  @Test
  void joinsLeaveTheSlowedRegionForTheIncident_whileItsSessionsEndThere() throws Exception {
    ReroutedDemand rerouted = new ReroutedDemand(CONFIG, trace(CONFIG, INCIDENT), START);

    assertThat(rerouted.weightsInForce(at(1100))).isEqualTo(CONFIG.routing().initialWeights());
    assertThat(rerouted.weightsInForce(at(1210))).containsEntry("eu-west-1", 0);
    assertThat(rerouted.weightsInForce(at(3700))).isEqualTo(CONFIG.routing().initialWeights());
    // Sessions stay: 15 minutes into the incident about e^-1 of Dublin's viewers are still there.
    double before = rerouted.viewers("eu-west-1", at(1190));
    double later = rerouted.viewers("eu-west-1", at(2100));
    assertThat(later / before).isBetween(0.30, 0.45);
    assertThat(rerouted.viewers("eu-west-2", at(2100)))
        .isGreaterThan(rerouted.viewers("eu-west-2", at(1190)) + 0.5 * (before - later));
  }

  @Test
  void seenLate_joinsLeaveOnceARouterThatReactsCouldHaveMovedThem_andComeBackAsLate()
      throws Exception {
    // The incident begins at 1200 s and clears at 3600 s: seen in the first 10 s metrics period,
    // the weights then set are in force a DNS delay (120 s) later.
    ReroutedDemand late = ReroutedDemand.seenLate(CONFIG, trace(CONFIG, INCIDENT), START);

    assertThat(late.weightsInForce(at(1320))).isEqualTo(CONFIG.routing().initialWeights());
    assertThat(late.weightsInForce(at(1330))).containsEntry("eu-west-1", 0);
    assertThat(late.weightsInForce(at(3720))).containsEntry("eu-west-1", 0);
    assertThat(late.weightsInForce(at(3730))).isEqualTo(CONFIG.routing().initialWeights());
  }

  @Test
  void theReactiveReroutingOracleServesTheJoinsThatLandOnTheSlowRegionMeanwhile() throws Exception {
    // Ireland surges 60 s into the incident: on time, the surge lands in London; reacting, in
    // Dublin, whose relays its sessions then hold.
    String surge =
        "t,kind,key,value\n0,viewers,IE,5000\n0,viewers,GB,5000\n1200,latency,eu-west-1,250\n"
            + "1260,viewers,IE,5000\n1320,viewers,IE,40000\n3600,latency,eu-west-1,0\n"
            + "7200,viewers,IE,40000\n";
    Simulation sim = new Simulation(CONFIG, trace(CONFIG, surge), START);
    Scorecard onTime = sim.run(OraclePolicy.REROUTING_AT_TARGET_NAME);
    Scorecard reacting = sim.run(OraclePolicy.REACTIVE_REROUTING_NAME);
    Scorecard fixed = sim.run(OraclePolicy.REACTIVE_NAME);

    // More of the surge is slow than on time, and less than with the joins never moved.
    assertThat(reacting.slowViewerSeconds())
        .isGreaterThan(onTime.slowViewerSeconds())
        .isLessThan(fixed.slowViewerSeconds());
    // Dublin's relays stay billed for the surge's sessions while London's carry the joins.
    assertThat(reacting.costUsd()).isGreaterThan(onTime.costUsd());

    // Without an incident it is the reactive oracle, to the cent.
    Simulation calm = new Simulation(CONFIG, trace(CONFIG, CALM), START);
    assertThat(calm.run(OraclePolicy.REACTIVE_REROUTING_NAME).costUsd())
        .isEqualTo(calm.run(OraclePolicy.REACTIVE_NAME).costUsd());
  }

  @Test
  void joinsLeaveOnlyAsFarAsTheOtherRegionsCeilingsTakeThem() throws Exception {
    // London's relays hold 15,000 at most: it cannot take all of Ireland on top of Britain.
    EdgeConfig small =
        TestConfigs.variant(
            "minInstances: 3\n      maxInstances: 100", "minInstances: 3\n      maxInstances: 10");
    ReroutedDemand rerouted = new ReroutedDemand(small, trace(small, INCIDENT), START);

    assertThat(rerouted.weightsInForce(at(2400)).get("eu-west-1")).isPositive();
    for (long s = 0; s < 7200; s += 10) {
      assertThat(rerouted.viewers("eu-west-2", at(s))).isLessThanOrEqualTo(15_000.0);
    }
  }

  @Test
  void avoidingTheIncidentCostsMoreThanTheFixedRoutingOracle_servingEveryoneAsItDoes()
      throws Exception {
    Trace trace = trace(CONFIG, INCIDENT);
    Simulation.Prepared run = FamilySeeds.prepared(CONFIG, trace, OraclePolicy.REROUTING_NAME);
    double londonBefore = 0;
    double londonDuring = 0;
    while (run.hasNext()) {
      run.tick();
      double elapsed = run.cloud().elapsedSeconds();
      if (elapsed == 1200) {
        // The weights it set a DNS delay ahead are in force as the incident begins.
        assertThat(run.cloud().effectiveWeights(run.cloud().now())).containsEntry("eu-west-1", 0);
        londonBefore = london(run);
      } else if (elapsed == 3000) {
        londonDuring = london(run);
      }
    }
    Scorecard rerouting = run.scorecard();
    Scorecard oracle = new Simulation(CONFIG, trace, START).run(OraclePolicy.NAME);

    assertThat(londonDuring).isGreaterThan(londonBefore + 10_000);
    assertThat(rerouting.unservedViewerSeconds()).isZero();
    // Dublin's relays stay billed while their sessions end, and London's carry the joins.
    assertThat(rerouting.costUsd()).isGreaterThan(oracle.costUsd() * 1.05);

    // Without an incident it is the oracle, to the cent.
    Simulation calm = new Simulation(CONFIG, trace(CONFIG, CALM), START);
    assertThat(calm.run(OraclePolicy.REROUTING_NAME).costUsd())
        .isEqualTo(calm.run(OraclePolicy.NAME).costUsd());
  }

  @Test
  void atTheTargetUtilizationItPaysTheHeadroomOnTopOfTheReroute_andIsTheOracleAtTargetWhenCalm()
      throws Exception {
    Simulation incident = new Simulation(CONFIG, trace(CONFIG, INCIDENT), START);
    Scorecard rerouting = incident.run(OraclePolicy.REROUTING_NAME);
    Scorecard atTarget = incident.run(OraclePolicy.REROUTING_AT_TARGET_NAME);
    Scorecard oracleAtTarget = incident.run(OraclePolicy.AT_TARGET_NAME);

    assertThat(atTarget.unservedViewerSeconds()).isZero();
    // The relays the joins go to run at 90%, not full (those Dublin's sessions hold are billed
    // either way), and the reroute comes on top of the headroom.
    assertThat(atTarget.costUsd())
        .isGreaterThan(rerouting.costUsd() * 1.02)
        .isGreaterThan(oracleAtTarget.costUsd() * 1.05);
    // Its viewers leave the incident as the rerouting oracle's do: fewer are slow than at the
    // configured weights.
    assertThat(atTarget.slowViewerSeconds()).isLessThan(oracleAtTarget.slowViewerSeconds());

    Simulation calm = new Simulation(CONFIG, trace(CONFIG, CALM), START);
    assertThat(calm.run(OraclePolicy.REROUTING_AT_TARGET_NAME).costUsd())
        .isEqualTo(calm.run(OraclePolicy.AT_TARGET_NAME).costUsd());
  }
}
