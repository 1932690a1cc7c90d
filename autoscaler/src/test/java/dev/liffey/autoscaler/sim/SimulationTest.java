package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the simulator shows an operator, on traces small enough to run in a unit test. */
class SimulationTest {
  private final EdgeConfig config = TestConfigs.repository();

  private Simulation simulation(String traceName) throws Exception {
    return new Simulation(config, BundledTraces.load(config, traceName), Simulation.DEFAULT_START);
  }

  @Test
  void liffeyHasRelaysInServiceBeforeTheViralCrowdArrives_whileTargetTrackingLosesViewers()
      throws Exception {
    Simulation sim = simulation("viral-spike");

    Scorecard liffey = sim.run("liffey");
    Scorecard tracking = sim.run("target-tracking");

    // Liffey's relays admit every join; target tracking's refuse some, and viewers are lost to late
    // GPUs too.
    assertThat(liffey.unservedByCause().get("noRelaySlot")).isZero();
    assertThat(tracking.unservedByCause().get("noRelaySlot")).isGreaterThan(100_000);
    assertThat(liffey.unservedViewerSeconds()).isLessThan(0.05 * tracking.unservedViewerSeconds());
    assertThat(liffey.peakViewers()).isEqualTo(tracking.peakViewers()).isGreaterThan(9_000);
  }

  @Test
  void theOracleServesEveryViewerAtTheLeastCost_andStaticPaysForThePeakAllTheTime()
      throws Exception {
    Simulation sim = simulation("match");

    Scorecard oracle = sim.run("oracle");
    Scorecard fixed = sim.run("static");
    Scorecard liffey = sim.run("liffey");

    assertThat(oracle.unservedViewerSeconds()).isZero();
    assertThat(fixed.unservedViewerSeconds()).isZero();
    assertThat(oracle.costUsd()).isLessThan(liffey.costUsd()).isLessThan(fixed.costUsd());
  }

  @Test
  void duringADublinLatencyIncident_liffeyMovesIrishViewersToLondonAndBack() throws Exception {
    Simulation sim = simulation("dublin-latency-incident");
    List<String> reasons = new ArrayList<>();

    Scorecard liffey = sim.run(() -> new LiffeyPolicy(config), d -> reasons.addAll(d.reasons()));
    Scorecard tracking = sim.run("target-tracking");

    // Issue 10's slow target: above the floor no router avoids once sessions are sticky (the
    // viewers already on Dublin when it degraded), at most a fifth of target tracking's.
    double floor = liffey.slowFloorViewerSeconds();
    assertThat(floor).isPositive();
    assertThat(liffey.slowViewerSeconds() - floor)
        .isLessThan(0.2 * (tracking.slowViewerSeconds() - floor));
    assertThat(reasons)
        .anyMatch(
            r ->
                r.startsWith(
                    // The incident slows the relays taking joins too: the edge publishes theirs.
                    "shift IE eu-west-1 200→193, eu-west-2 55→62: eu-west-1 join"
                        + " latency p95"));
    assertThat(reasons)
        .anyMatch(
            r ->
                r.contains("every region healthy: toward the configured weights")
                    && r.startsWith("shift IE eu-west-1 0→7"));
  }

  @Test
  void theFixedRoutingReference_isLiffeyWithItsRouterOff_andShowsWhatRoutingBuys()
      throws Exception {
    Simulation sim = simulation("dublin-latency-incident");
    List<Decision> decisions = new ArrayList<>();

    Scorecard fixed = sim.run(() -> LiffeyPolicy.withFixedRouting(config), decisions::add);
    Scorecard liffey = sim.run("liffey");

    // The weights never move, whatever Dublin's latency; capacity is still Liffey's.
    assertThat(decisions)
        .allSatisfy(
            d -> {
              assertThat(d.policy()).isEqualTo(LiffeyPolicy.FIXED_ROUTING_NAME);
              assertThat(d.routing().orElseThrow().changes()).isFalse();
            })
        .allMatch(d -> d.routing().orElseThrow().reason().endsWith(": fixed routing (no router)"));
    assertThat(fixed.unservedViewerSeconds()).isZero();
    // Irish viewers left on slow Dublin for the hour: the slow viewer-seconds routing saves.
    assertThat(liffey.slowViewerSeconds()).isLessThan(0.25 * fixed.slowViewerSeconds());
  }

  @Test
  void weightsTakeEffectOnlyAfterDnsPropagationAndTheTtl() throws Exception {
    Trace steady =
        new TraceParser(config)
            .parse(
                "steady",
                new StringReader("t,kind,key,value\n0,viewers,IE,10000\n600,viewers,IE,10000\n"));
    Simulation.Prepared run =
        new Simulation(config, steady, Simulation.DEFAULT_START)
            .prepare(() -> new dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy(config));
    SimulatedCloud cloud = run.cloud();

    cloud.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255));
    var setAt = cloud.now();

    assertThat(cloud.effectiveWeights(setAt.plusSeconds(119))).containsEntry("eu-west-1", 200);
    assertThat(cloud.effectiveWeights(setAt.plusSeconds(120))).containsEntry("eu-west-1", 0);
  }

  @Test
  void everyDecisionCarriesItsReasonsInWords() throws Exception {
    List<Decision> decisions = new ArrayList<>();
    simulation("viral-spike").run(() -> new LiffeyPolicy(config), decisions::add);

    assertThat(decisions)
        .anyMatch(
            d ->
                d.reasons().stream()
                    .anyMatch(
                        r ->
                            r.matches(
                                "scale out relay eu-west-1 \\d+→\\d+: forecast [\\d,]+ viewers at t\\+\\d+s \\(IE spike \\+[\\d.]+%/s\\)")));
    assertThat(decisions.stream().filter(d -> !d.changesAnything()))
        .allMatch(d -> d.summary().equals("hold: every fleet fits its forecast"));
  }

  @Test
  void duringADublinIncident_theSlowFloorIsWhatNoRouterCanAvoid_andLiffeyAddsLittleAboveIt()
      throws Exception {
    Simulation sim = simulation("dublin-latency-incident");

    Scorecard liffey = sim.run("liffey");
    Scorecard tracking = sim.run("target-tracking");

    // The viewers watching on Dublin when it turned slow stay until they leave: the same for every
    // policy.
    assertThat(liffey.slowFloorViewerSeconds())
        .isPositive()
        .isCloseTo(
            tracking.slowFloorViewerSeconds(),
            org.assertj.core.data.Percentage.withPercentage(0.01));
    assertThat(liffey.slowViewerSeconds()).isGreaterThanOrEqualTo(liffey.slowFloorViewerSeconds());
    // The target: slow <= floor + 0.2 x (target tracking's slow - floor).
    assertThat(liffey.slowViewerSeconds() - liffey.slowFloorViewerSeconds())
        .isLessThan(0.2 * (tracking.slowViewerSeconds() - tracking.slowFloorViewerSeconds()));
  }

  @Test
  void
      theSlowFloorNeverExceedsTheSlowViewerSeconds_forAnyPolicy_evenWhenTheIncidentLeavesLatencyUnderTheSlo()
          throws Exception {
    // London adds 125 ms for 20 minutes: GB's base (8 ms) plus it is under the SLO, so only the
    // jitter's and the
    // queue's tails make its viewers slow; Dublin is short of GPUs, so some viewers have nothing to
    // watch.
    Trace incident =
        new TraceParser(config)
            .parse(
                "london-125.csv",
                new StringReader(
                    "t,kind,key,value\n"
                        + "0,viewers,IE,20000\n0,viewers,GB,15000\n0,streams,eu-west-1,12\n0,streams,eu-west-2,8\n"
                        + "0,shortage,eu-west-1/g6.2xlarge,1\n300,latency,eu-west-2,125\n1500,latency,eu-west-2,0\n"
                        + "1800,viewers,IE,20000\n1800,viewers,GB,15000\n"));
    Simulation sim = new Simulation(config, incident, Simulation.DEFAULT_START);

    for (String policy : Policies.NAMES) {
      Scorecard card = sim.run(policy);
      assertThat(card.slowFloorViewerSeconds())
          .as(policy)
          .isPositive()
          .isLessThanOrEqualTo(card.slowViewerSeconds());
    }
  }

  /**
   * 8 streams in Dublin (one L4); from 10 minutes EC2 can run no more g6.2xlarge there, then 35 go
   * live, until {@code end} seconds.
   */
  private Simulation l4ShortageInDublin(int end) throws Exception {
    return new Simulation(config, l4ShortageTrace(end), Simulation.DEFAULT_START);
  }

  private Trace l4ShortageTrace(int end) throws Exception {
    return new TraceParser(config)
        .parse(
            "shortage.csv",
            new StringReader(
                "t,kind,key,value\n"
                    + "0,viewers,IE,2000\n0,streams,eu-west-1,8\n600,shortage,eu-west-1/g6.2xlarge,1\n"
                    + "650,streams,eu-west-1,35\n"
                    + end
                    + ",streams,eu-west-1,35\n"));
  }

  @Test
  void aShortageBeginsAtItsFirstRow_untilThenEc2LaunchesTheTypeAsUsual() throws Exception {
    // 8 streams in Dublin, 35 from the first minute; EC2 runs out of L4s only at 20 minutes.
    Trace later =
        new TraceParser(config)
            .parse(
                "later-shortage.csv",
                new StringReader(
                    "t,kind,key,value\n"
                        + "0,viewers,IE,2000\n0,streams,eu-west-1,8\n60,streams,eu-west-1,35\n"
                        + "1200,shortage,eu-west-1/g6.2xlarge,1\n1800,streams,eu-west-1,35\n"));
    Simulation.Prepared run =
        new Simulation(config, later, Simulation.DEFAULT_START)
            .prepare(() -> new dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy(config));
    while (run.cloud().elapsedSeconds() < 1_000) {
      run.tick();
    }

    FleetId l4 = FleetId.transcode("eu-west-1", "g6.2xlarge");
    FleetState before =
        run.cloud().fleets().stream().filter(f -> f.id().equals(l4)).findFirst().orElseThrow();
    // The four L4s 35 streams need, launched as EC2 always runs them before the shortage.
    assertThat(before.inService()).isGreaterThanOrEqualTo(4);
    assertThat(before.capacityShortage()).isFalse();
  }

  /** The A10Gs a decision asks for in Dublin. */
  private static int a10gs(Decision d) {
    return d.fleets().stream()
        .filter(p -> p.fleet().equals(FleetId.transcode("eu-west-1", "g5.2xlarge")))
        .mapToInt(p -> p.target())
        .sum();
  }

  @Test
  void whenEc2RunsOutOfL4s_theStreamsGoToTheA10gGroup_onShorterLaddersUntilTheyAreInService()
      throws Exception {
    List<Decision> decisions = new ArrayList<>();

    Scorecard liffey = l4ShortageInDublin(1800).run(() -> new LiffeyPolicy(config), decisions::add);

    Decision last = decisions.get(decisions.size() - 1);
    assertThat(a10gs(last)).isGreaterThanOrEqualTo(5); // the 26 streams one L4 cannot carry, 6 a g5
    // No stream waits for the A10Gs: they go on shorter ladders for about one GPU cold boot (300
    // s), not the rest of the trace, and back on the full ladder once the A10Gs are in service.
    assertThat(liffey.unservedStreamSeconds()).isZero();
    assertThat(liffey.degradedStreamSeconds()).isPositive().isLessThan(35 * 600);
    assertThat(last.ladders())
        .filteredOn(l -> l.region().equals("eu-west-1"))
        .singleElement()
        .satisfies(l -> assertThat(l.full()).isTrue());
  }

  @Test
  void
      whenEc2RunsOutOfL4s_targetTrackingsMixedInstancesGroupLaunchesA10gs_asAwsPrioritizedAllocationDoes()
          throws Exception {
    // The same shortage: the AWS baseline's GPU groups are one mixed-instances group, whose
    // prioritized allocation launches the next type when EC2 has none of the first, so its
    // streams wait only for its alarm and an A10G's boot, not for the rest of the trace.
    List<Decision> decisions = new ArrayList<>();

    Scorecard tracking =
        l4ShortageInDublin(3600)
            .run(
                () -> new dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy(config),
                decisions::add);

    Decision last = decisions.get(decisions.size() - 1);
    assertThat(a10gs(last)).isGreaterThanOrEqualTo(5);
    // 27 streams wait at most the alarm's minutes and a cold boot (300 s), not the 49 minutes left.
    assertThat(tracking.unservedStreamSeconds()).isPositive().isLessThan(27 * 900);
  }

  @Test
  void aRegionsStepsCountTheViewersWhoseStreamNoTranscoderCarried_asTheScorecardDoes()
      throws Exception {
    Simulation.Prepared run =
        l4ShortageInDublin(1800)
            .prepare(() -> new dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy(config));
    double before = 0;
    double during = 0;
    double tick = config.scaling().tick().toSeconds();
    while (run.hasNext()) {
      run.tick();
      for (RegionStep s : run.cloud().lastSteps()) {
        if (s.region().equals("eu-west-1")) {
          if (s.elapsedSeconds() < 650) {
            before += s.untranscodedViewers();
          } else {
            during += s.untranscodedViewers() * tick;
          }
        }
      }
    }

    assertThat(before).isZero();
    assertThat(during)
        .isPositive()
        .isCloseTo(
            run.scorecard().unservedByCause().get("streamNotTranscoded"),
            org.assertj.core.data.Percentage.withPercentage(1));
  }

  @Test
  void theOraclesKnowTheTracesShortage_andHaveTheA10gsInServiceWhenTheStreamsGoLive()
      throws Exception {
    // The cost floor must serve what EC2 lets it serve: planning as if it had L4s left, it would
    // lose the 27 streams for the rest of the trace and cost less than anything that serves them.
    Trace trace = l4ShortageTrace(1800);
    Simulation sim = new Simulation(config, trace, Simulation.DEFAULT_START);
    List<Decision> decisions = new ArrayList<>();

    Scorecard oracle =
        sim.run(
            () -> new OraclePolicy(config, new TraceDemand(trace, Simulation.DEFAULT_START)),
            decisions::add);
    Scorecard atTarget = sim.run(OraclePolicy.AT_TARGET_NAME);

    assertThat(a10gs(decisions.get(decisions.size() - 1))).isGreaterThanOrEqualTo(5);
    assertThat(oracle.unservedStreamSeconds()).isZero();
    assertThat(atTarget.unservedStreamSeconds()).isZero();
  }

  @Test
  void withDublinNearItsCeilingAndLondonSlow_liffeysRoutingNeverServesWorseThanFixedRouting()
      throws Exception {
    // Dublin can run 10 relays (15,000 viewers); London turns slow for an hour. Moving Ireland to
    // Dublin helps only as far as Dublin's relays carry it: shifting more overloads Dublin for
    // everyone. Near its target utilization Dublin's queue tail makes a viewer moved there about as
    // likely to be slow as one left on slow London, so routing gains little here; it must not lose
    // more than that. The reference is Liffey itself with its router off.
    EdgeConfig tight = TestConfigs.variant("maxInstances: 120", "maxInstances: 10");
    Trace incident =
        new TraceParser(tight)
            .parse(
                "london.csv",
                new StringReader(
                    "t,kind,key,value\n"
                        + "0,viewers,IE,17000\n0,viewers,GB,2000\n600,latency,eu-west-2,200\n4200,latency,eu-west-2,0\n"
                        + "5400,viewers,IE,17000\n"));
    Simulation sim = new Simulation(tight, incident, Simulation.DEFAULT_START);

    Scorecard liffey = sim.run("liffey");
    Scorecard fixed = sim.run(LiffeyPolicy.FIXED_ROUTING_NAME);

    assertThat(liffey.unservedViewerSeconds()).isLessThanOrEqualTo(fixed.unservedViewerSeconds());
    assertThat(liffey.slowViewerSeconds()).isLessThan(1.01 * fixed.slowViewerSeconds());
  }

  @Test
  void aCrowdLargerThanTheRelaysIsSeenThroughTheJoinsTheyRefused_andLiffeySizesForAllOfIt()
      throws Exception {
    // 30,000 Irish viewers arrive at an edge running its floor (6,000 + 4,500 slots): the relays
    // report
    // the viewers they hold, flat, and the joins they refused beside them.
    Trace crowd =
        new TraceParser(config)
            .parse(
                "crowd.csv",
                new StringReader("t,kind,key,value\n0,viewers,IE,30000\n900,viewers,IE,30000\n"));
    SimulatedCloud cloud = new SimulatedCloud(config, crowd, Simulation.DEFAULT_START);
    cloud.startWith(Map.of(FleetId.relay("eu-west-1"), 4, FleetId.relay("eu-west-2"), 3));
    ControlLoop loop =
        new ControlLoop(
            new LiffeyPolicy(config),
            cloud,
            cloud,
            cloud,
            cloud,
            new InMemoryControlStore(ControlState.EMPTY),
            cloud,
            false);

    Decision d = loop.tick();

    // 30,000 viewers need at least 30,000 / (1,500 x 0.9) = 23 relays across Dublin and London, at
    // once.
    int relays =
        d.fleets().stream()
            .filter(
                p ->
                    p.fleet().kind() == FleetKind.RELAY
                        && !p.fleet().region().equals("eu-central-1"))
            .mapToInt(p -> p.target())
            .sum();
    assertThat(relays).isGreaterThanOrEqualTo(23);
  }
}
