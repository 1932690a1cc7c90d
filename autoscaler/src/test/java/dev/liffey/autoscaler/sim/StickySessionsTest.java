package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulated edge holds viewers as a real one does: sticky sessions, full relays, dropped
 * sessions.
 */
class StickySessionsTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");
  private static final FleetId LONDON = FleetId.relay("eu-west-2");
  private static final MarketRegion IE_DUBLIN = new MarketRegion("IE", "eu-west-1");
  private static final MarketRegion IE_LONDON = new MarketRegion("IE", "eu-west-2");
  private static final Duration TICK = Duration.ofSeconds(10);

  private static Trace trace(String rows) throws Exception {
    return new TraceParser(CONFIG).parse("t.csv", new StringReader("t,kind,key,value\n" + rows));
  }

  private static SimulatedCloud cloud(String rows) throws Exception {
    return new SimulatedCloud(CONFIG, trace(rows), Simulation.DEFAULT_START);
  }

  private static void run(SimulatedCloud cloud, Duration d) {
    for (long s = 0; s < d.toSeconds(); s += TICK.toSeconds()) {
      cloud.step(TICK);
    }
  }

  private static double viewers(SimulatedCloud cloud, MarketRegion key) {
    return cloud.read().viewers().get(key).value();
  }

  @Test
  void aWeightChangeSteersNewJoinsOnly_soViewersWatchingStayUntilTheirSessionsEnd()
      throws Exception {
    SimulatedCloud cloud = cloud("0,viewers,IE,10000\n3600,viewers,IE,10000\n");
    cloud.startWith(Map.of(DUBLIN, 20, LONDON, 20));
    double dublinBefore = viewers(cloud, IE_DUBLIN);
    assertThat(dublinBefore).isCloseTo(10_000 * 200 / 255.0, within(1.0));

    cloud.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255));
    run(cloud, Duration.ofMinutes(2)); // the weight takes effect after 60 s + the 60 s TTL
    double afterTwoMinutes = viewers(cloud, IE_DUBLIN);
    run(cloud, Duration.ofMinutes(15));

    // Nobody is moved by DNS: Dublin keeps its viewers until they leave (15 min on average).
    assertThat(afterTwoMinutes).isGreaterThan(0.95 * dublinBefore);
    assertThat(viewers(cloud, IE_DUBLIN)).isBetween(0.25 * dublinBefore, 0.45 * dublinBefore);
    assertThat(viewers(cloud, IE_DUBLIN) + viewers(cloud, IE_LONDON))
        .isCloseTo(10_000, within(1.0));
    assertThat(cloud.scorecard("x").unservedViewerSeconds()).isZero();
  }

  @Test
  void aTraceReplayedWithShorterSessions_turnsOverFaster_whileItsOwnSessionRowsStillHold()
      throws Exception {
    String rows = "0,viewers,IE,10000\n3600,viewers,IE,10000\n";
    Trace plain = trace(rows);
    Trace ownRows = trace("0,session,IE,36000\n" + rows);
    Duration threeMinutes = Duration.ofMinutes(3);

    double[] left = new double[3];
    Trace[] traces = {
      plain, plain.withDefaultSession(threeMinutes), ownRows.withDefaultSession(threeMinutes)
    };
    for (int i = 0; i < traces.length; i++) {
      SimulatedCloud cloud = new SimulatedCloud(CONFIG, traces[i], Simulation.DEFAULT_START);
      cloud.startWith(Map.of(DUBLIN, 20, LONDON, 20));
      double before = viewers(cloud, IE_DUBLIN);
      cloud.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255));
      run(cloud, Duration.ofMinutes(2)); // the weight takes effect
      run(cloud, Duration.ofMinutes(6));
      left[i] = viewers(cloud, IE_DUBLIN) / before;
    }

    // Six minutes after the joins moved, e^-0.4 of 15-minute sessions are still in Dublin, e^-2
    // of 3-minute ones; a trace that says its viewers watch ten hours keeps nearly all of them.
    assertThat(left[0]).isBetween(0.6, 0.75);
    assertThat(left[1]).isBetween(0.09, 0.18);
    assertThat(left[2]).isGreaterThan(0.97);
    assertThatThrownBy(() -> plain.withDefaultSession(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }

  @Test
  void sessionsSpreadWide_leaveTheSameJoinsAMinute_butAFewWatchingForHoursWhereTheJoinsLeft()
      throws Exception {
    String rows = "0,viewers,IE,10000\n10800,viewers,IE,10000\n";
    Trace plain = trace(rows);
    Trace ownRows = trace("0,session_cv,IE,3\n" + rows);
    Trace[] traces = {plain, plain.withSessionCv(3), ownRows, ownRows.withSessionCv(1)};
    double[] joins = new double[traces.length];
    double[][] left = new double[traces.length][];
    for (int i = 0; i < traces.length; i++) {
      SimulatedCloud cloud = new SimulatedCloud(CONFIG, traces[i], Simulation.DEFAULT_START);
      cloud.startWith(Map.of(DUBLIN, 20, LONDON, 20));
      run(cloud, Duration.ofMinutes(30));
      Metrics m = cloud.read();
      joins[i] = m.verifiedJoinAttempts(IE_DUBLIN) + m.verifiedJoinAttempts(IE_LONDON);
      double before = viewers(cloud, IE_DUBLIN);
      cloud.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255));
      run(cloud, Duration.ofMinutes(2)); // the weight takes effect
      run(cloud, Duration.ofMinutes(6));
      double sixMinutes = viewers(cloud, IE_DUBLIN) / before;
      run(cloud, Duration.ofMinutes(54));
      left[i] = new double[] {sixMinutes, viewers(cloud, IE_DUBLIN) / before};
    }

    // The same mean, 15 minutes: 10,000 viewers turn over 1.1% a 10 s period, however widely
    // their sessions spread.
    double perPeriod = 10_000 * (1 - Math.exp(-10 / 900.0));
    for (double j : joins) {
      assertThat(j).isCloseTo(perPeriod, within(0.1 * perPeriod));
    }
    // Exponential: e^-0.4 of Dublin's viewers stay six minutes after the joins left, e^-4 an hour.
    assertThat(left[0][0]).isBetween(0.6, 0.75);
    assertThat(left[0][1]).isLessThan(0.03);
    // Spread 3 times the mean, half of those watching are in sessions of 2.4 hours on average:
    // about as many stay for six minutes, and a third of them are still there an hour later.
    for (int i : new int[] {1, 2}) {
      assertThat(left[i][0]).isBetween(0.6, 0.8);
      assertThat(left[i][1]).isBetween(0.28, 0.36);
    }
    // A trace's own rows hold over a replay's spread.
    assertThat(left[3][1]).isCloseTo(left[2][1], within(1e-9));
    assertThatThrownBy(() -> plain.withSessionCv(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 (exponential) to 10");
  }

  @Test
  void aRefusedViewerRetriesTheRegionThatRefusedIt_untilItsCachedAnswerExpires() throws Exception {
    // Dublin's 4 relays hold 6,000 of the 15,686 viewers the weights send it; London has room for
    // everyone.
    SimulatedCloud cloud = cloud("0,viewers,IE,20000\n0,session,IE,36000\n900,viewers,IE,20000\n");
    cloud.startWith(Map.of(DUBLIN, 4, LONDON, 20));
    double refused = 20_000 * 200 / 255.0 - 6_000;
    double londonFirst = 20_000 * 55 / 255.0;

    run(cloud, TICK);
    double londonAfterATick = viewers(cloud, IE_LONDON);
    run(cloud, Duration.ofMinutes(30));

    // Re-resolving every 2 s retry, 71% of those refused would be in London after 10 s. A cached
    // answer (60 s TTL) expires for 15% of them by then, and London's share of those is 22%.
    double expired = 1 - Math.exp(-TICK.toSeconds() / 60.0);
    assertThat(londonAfterATick - londonFirst)
        .isBetween(0.5 * refused * expired * 55 / 255, 1.5 * refused * expired * 55 / 255);
    // They reach London at 22% of the rate their answers expire (one in 4.6 minutes, on average):
    // half an hour on, nearly all of them.
    assertThat(viewers(cloud, IE_LONDON)).isGreaterThan(20_000 - 6_000 - 0.01 * refused);
    assertThat(viewers(cloud, IE_DUBLIN)).isCloseTo(6_000, within(1.0));
  }

  @Test
  void aFullRegionReportsTheViewersItHolds_andTheJoinsItRefusedBeside() throws Exception {
    SimulatedCloud cloud =
        cloud("0,viewers,IE,1000\n0,session,IE,600\n60,viewers,IE,30000\n600,viewers,IE,30000\n");
    cloud.startWith(Map.of(DUBLIN, 4, LONDON, 3)); // 6,000 and 4,500 viewers of relay capacity

    run(cloud, Duration.ofMinutes(3));

    Metrics m = cloud.read();
    assertThat(m.viewers().get(IE_DUBLIN).value()).isCloseTo(6_000, within(1.0));
    assertThat(m.viewers().get(IE_LONDON).value()).isCloseTo(4_500, within(1.0));
    // Everyone refused is seen again: the edge's count of refused joins is the rest of the crowd,
    // and a little more. Those who got into a slot a leaving viewer freed, after being refused
    // earlier in the period, are counted both ways, as a real edge counts them (10-minute sessions:
    // 1.7% of 10,500 viewers leave a period).
    double turnover = 10_500 * (1 - Math.exp(-10 / 600.0));
    assertThat(m.demand(IE_DUBLIN) + m.demand(IE_LONDON))
        .isBetween(30_000 - 1.0, 30_000 + turnover);
    assertThat(m.rejectedJoins()).containsKeys(IE_DUBLIN, IE_LONDON);
    Scorecard card = cloud.scorecard("x");
    assertThat(card.unservedViewerSeconds()).isGreaterThan(19_000 * 100);
    assertThat(card.unservedByCause().get("dropped")).isZero();
  }

  @Test
  void
      aScaleInTakesTheEmptiestRelays_oneTakenOutKeepsItsOwnViewers_andCutsWhoIsStillOnItAtItsTimeout()
          throws Exception {
    // Ten-hour sessions: nobody leaves during the drain.
    SimulatedCloud cloud = cloud("0,viewers,IE,8000\n0,session,IE,36000\n900,viewers,IE,8000\n");
    cloud.startWith(Map.of(DUBLIN, 10, LONDON, 10));
    // About 6,275, packed: four relays at the pack target, the fifth holding the rest, five empty.
    double watching = viewers(cloud, IE_DUBLIN);
    double onTheFifth = watching - 4 * cloud.packTarget("eu-west-1", 0);
    assertThat(onTheFifth).isBetween(0.0, cloud.packTarget("eu-west-1", 0));

    cloud.setCapacity(DUBLIN, 4, 10); // the six emptiest: five go at once, the fifth drains
    cloud.step(TICK);
    // No session moves between relays: the six keep theirs, the four theirs, nothing is dropped.
    assertThat(viewers(cloud, IE_DUBLIN)).isCloseTo(watching, within(0.01 * watching));
    assertThat(cloud.scorecard("x").unservedByCause().get("dropped")).isZero();
    Duration drain = CONFIG.region("eu-west-1").relay().drainTimeout();
    run(cloud, drain); // to the drain's end

    Scorecard card = cloud.scorecard("x");
    // A spread edge would have taken out six relays of 627 viewers each; packed, only the fifth's.
    double cut = onTheFifth * Math.exp(-drain.toSeconds() / 36_000.0);
    assertThat(card.unservedByCause().get("dropped"))
        .isCloseTo(
            cut * SimulatedCloud.REJOIN.toSeconds(),
            within(0.02 * cut * SimulatedCloud.REJOIN.toSeconds()));
    // Those cut join again, by the weights: Dublin's four packed relays take what they have room
    // for, and those they refuse try Dublin again until their cached answer expires (the 60 s TTL
    // on average), then resolve again, until London's share of those joins has taken them.
    run(cloud, Duration.ofMinutes(5));
    double afterFive = viewers(cloud, IE_DUBLIN) + viewers(cloud, IE_LONDON);
    run(cloud, Duration.ofMinutes(25));
    assertThat(afterFive)
        .as("some still retry full Dublin five minutes on")
        .isBetween(7_900.0, 7_999.0);
    assertThat(viewers(cloud, IE_DUBLIN)).isLessThanOrEqualTo(6_000);
    // A few always wait: sessions still end and new joins still go to Dublin as much as before.
    assertThat(viewers(cloud, IE_DUBLIN) + viewers(cloud, IE_LONDON)).isCloseTo(8_000, within(4.0));
  }

  @Test
  void aDrainingRelayGoesAsSoonAsItsLastViewerLeaves_billedNoLonger_droppingNobody()
      throws Exception {
    // The audience leaves between the first and the second minute after the scale-in.
    SimulatedCloud leaving = cloud("0,viewers,IE,8000\n60,viewers,IE,8000\n120,viewers,IE,0\n");
    SimulatedCloud empty = cloud("0,viewers,IE,0\n120,viewers,IE,0\n");
    for (SimulatedCloud c : java.util.List.of(leaving, empty)) {
      c.startWith(Map.of(DUBLIN, 10, LONDON, 10));
      c.setCapacity(DUBLIN, 4, 10);
      run(c, Duration.ofMinutes(6));
    }

    // Of the six taken out, the five the packed edge left empty went at once; the one holding
    // viewers ran until they had gone (about two minutes), not the two hours of its timeout.
    double relayHour = CONFIG.region("eu-west-1").relay().sizing().hourlyPriceUsd();
    double extra = leaving.scorecard("x").costUsd() - empty.scorecard("x").costUsd();
    assertThat(extra).isBetween(relayHour * 60 / 3600, relayHour * 150 / 3600);
    assertThat(leaving.scorecard("x").unservedByCause().get("dropped")).isZero();
  }

  @Test
  void aRelayTakenOutAsksItsPlayersToReconnect_thoseThatFollowMoveWhereJoinsGo_droppingNobody()
      throws Exception {
    // Ten-hour sessions: nobody leaves of their own accord while the drain lasts.
    String rows = "0,viewers,IE,8000\n0,session,IE,36000\n1800,viewers,IE,8000\n";
    double[] dublinAfter = new double[3];
    double[] cost = new double[3];
    double[] shares = {0, 0.5, 1};
    double onTheDrain = 0;
    for (int i = 0; i < shares.length; i++) {
      EdgeConfig config =
          TestConfigs.variant(
              "      drainSeconds: 7200",
              "      drainSeconds: 7200\n      reconnectingPlayers: " + shares[i]);
      SimulatedCloud cloud = new SimulatedCloud(config, trace(rows), Simulation.DEFAULT_START);
      cloud.startWith(Map.of(DUBLIN, 10, LONDON, 10));
      cloud.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255));
      run(cloud, Duration.ofMinutes(3)); // the weights in force: joins go to London
      double watching = viewers(cloud, IE_DUBLIN);
      onTheDrain = watching - 4 * cloud.packTarget("eu-west-1", 0);
      cloud.setCapacity(DUBLIN, 4, 10); // the six emptiest: one of them holds viewers
      run(cloud, Duration.ofMinutes(2));
      dublinAfter[i] = viewers(cloud, IE_DUBLIN);
      assertThat(viewers(cloud, IE_DUBLIN) + viewers(cloud, IE_LONDON))
          .isCloseTo(8_000, within(1.0));
      Scorecard card = cloud.scorecard("x");
      assertThat(card.unservedViewerSeconds()).as("make-before-break: nobody waits").isZero();
      run(cloud, Duration.ofMinutes(20));
      cost[i] = cloud.scorecard("x").costUsd();
    }
    assertThat(onTheDrain).isGreaterThan(100);
    // Those who ignore the event stay on the drained relay; those who follow it are in London,
    // where the weights send joins, within a step or two.
    assertThat(dublinAfter[0])
        .isCloseTo(dublinAfter[1] + onTheDrain / 2, within(0.01 * onTheDrain));
    assertThat(dublinAfter[1])
        .isCloseTo(dublinAfter[2] + onTheDrain / 2, within(0.01 * onTheDrain));
    // Half still holds the relay, billed, while every one of them stays; all of them gone, it went.
    double relayHour = CONFIG.region("eu-west-1").relay().sizing().hourlyPriceUsd();
    assertThat(cost[1]).isCloseTo(cost[0], within(relayHour / 60));
    assertThat(cost[0] - cost[2]).isGreaterThan(relayHour * 20 / 60);
  }

  @Test
  void aPlayerThatFindsNoRoomKeepsWatchingOnItsDrainingRelay_andMovesOnceRoomArrives()
      throws Exception {
    EdgeConfig config =
        TestConfigs.variant(
            "      drainSeconds: 7200", "      drainSeconds: 7200\n      reconnectingPlayers: 1");
    // London at its floor of three relays, nearly full of British viewers.
    String rows =
        "0,viewers,IE,8000\n0,viewers,GB,2650\n0,session,IE,36000\n0,session,GB,36000\n"
            + "1800,viewers,IE,8000\n1800,viewers,GB,2650\n";
    SimulatedCloud cloud = new SimulatedCloud(config, trace(rows), Simulation.DEFAULT_START);
    cloud.startWith(Map.of(DUBLIN, 10, LONDON, 3));
    cloud.setWeights(Map.of("eu-west-1", 0, "eu-west-2", 255));
    run(cloud, Duration.ofMinutes(3));
    double dublin = viewers(cloud, IE_DUBLIN);
    double onTheDrain = dublin - 4 * cloud.packTarget("eu-west-1", 0);
    double room = 3 * 1500 - cloud.lastSteps().get(1).viewers();
    assertThat(cloud.lastSteps().get(1).region()).isEqualTo("eu-west-2");
    assertThat(room).isBetween(1.0, onTheDrain / 2);

    cloud.setCapacity(DUBLIN, 4, 10); // the six emptiest: one holds viewers
    run(cloud, Duration.ofMinutes(1));
    // London's free slots took as many as they could; the rest, refused, keep the old session:
    // watching in Dublin, nobody cut, nobody waiting.
    assertThat(viewers(cloud, IE_DUBLIN)).isCloseTo(dublin - room, within(0.02 * onTheDrain));
    assertThat(cloud.scorecard("x").unservedByCause().get("dropped")).isZero();
    assertThat(cloud.read().rejectedJoins().get(IE_LONDON).value())
        .as("London refused them")
        .isPositive();

    cloud.setCapacity(LONDON, 10, 8);
    run(cloud, Duration.ofMinutes(3)); // a warm boot, and they move
    // Dublin holds only what its four relays in service held, less those who left since.
    double four = 4 * cloud.packTarget("eu-west-1", 0);
    assertThat(viewers(cloud, IE_DUBLIN)).isBetween(0.97 * four, four);
    assertThat(cloud.scorecard("x").unservedByCause().get("dropped")).isZero();
  }
}
