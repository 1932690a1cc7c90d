package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.core.config.Market;
import org.junit.jupiter.api.Test;

/**
 * London's agents all stop publishing (none can reach CloudWatch): every count from its relays,
 * refused joins included, is missing. What EC2 measured its relays sending (2.5 Mbit/s a viewer) is
 * the one thing left to size it on.
 */
class BlindRegionTest {
  private static final String LONDON = "eu-west-2";
  private static final FleetId RELAY = FleetId.relay(LONDON);

  /** Every London series missing, its 6 relays in service and {@code desired} asked for. */
  private static Observations londonUnheard(int desired) {
    Observations obs = new Observations();
    londonMissing(obs);
    obs.fleet(RELAY, desired, 6, 10);
    return obs;
  }

  private static void londonMissing(Observations obs) {
    for (Market m : obs.config.markets()) {
      m.servedBy().stream()
          .filter(s -> s.regionId().equals(LONDON))
          .forEach(s -> obs.missingViewers.add(new MarketRegion(m.code(), LONDON)));
    }
  }

  private static FleetPlan relays(Observations obs) {
    Decision d = new LiffeyPolicy(obs.config).decide(obs.build());
    return Plans.of(d, RELAY);
  }

  @Test
  void fullByWhatItsRelaysSent_aRegionWithNoCountGetsTwiceTheRelaysInService() {
    // 6 relays of 1,500: 9,000 viewers' worth sent, the whole capacity: a crowd of unknown size.
    Observations obs = londonUnheard(6);
    obs.sentMbps.put(LONDON, 9_000 * 2.5);
    obs.sentAt = Observations.T0.minusSeconds(20);

    FleetPlan plan = relays(obs);

    assertThat(plan.target()).isEqualTo(12);
    assertThat(plan.reason())
        .contains(
            "no count from eu-west-2's relays: they sent 9,000 viewers' worth in the minute to"
                + " 2026-12-01T19:59:40Z (full: twice the relays in service)");
  }

  @Test
  void theDoublingStillBooting_isNotDoubledAgain_onTheMinuteThatAskedForIt() {
    Observations obs = londonUnheard(12);
    obs.sentMbps.put(LONDON, 9_000 * 2.5);

    assertThat(relays(obs).target()).isEqualTo(12);
  }

  @Test
  void notFull_itIsSizedOnWhatWasSent_atTheTargetUtilization() {
    // 7,000 viewers (78% of 9,000): 6 relays at 1,350 each.
    Observations obs = londonUnheard(6);
    obs.sentMbps.put(LONDON, 7_000 * 2.5);

    FleetPlan plan = relays(obs);

    assertThat(plan.target()).isEqualTo(6);
    assertThat(plan.reason()).doesNotContain("twice");
  }

  @Test
  void withACountRead_orTheTrafficOld_orNotRead_theTrafficDecidesNothing() {
    Observations counted = londonUnheard(6);
    counted.missingViewers.remove(new MarketRegion("GB", LONDON));
    counted.viewers("GB", LONDON, 5_000);
    counted.sentMbps.put(LONDON, 9_000 * 2.5);
    assertThat(relays(counted).target()).isLessThan(12);

    // A minute's datapoint older than the minute and the staleness allowance (60 s) after it.
    Observations old = londonUnheard(6);
    old.sentMbps.put(LONDON, 9_000 * 2.5);
    old.sentAt = Observations.T0.minusSeconds(121);
    assertThat(relays(old).target()).isEqualTo(6);

    assertThat(relays(londonUnheard(6)).target()).isEqualTo(6);
  }

  @Test
  void whileLondonIsUnheard_theMarketsItServesAreStillForecast_fromTheRegionsThatAreHeard() {
    // A minute of every count, then none from London (it serves all three markets); Ireland grows
    // in Dublin from 3,000 to 12,000 over two minutes. London's Irish viewers are stood in for by
    // their last count, and Dublin scales out for the rise: without the stand-in the Irish forecast
    // stopped at 3,800 and Dublin stayed at 4 relays.
    Observations obs = new Observations();
    FleetId dublin = FleetId.relay("eu-west-1");
    obs.fleet(dublin, 4, 4, 10);
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    FleetPlan plan = null;
    for (int i = 0; i <= 20; i++) {
      obs.at(Observations.T0.plusSeconds(10L * i));
      obs.viewers("IE", "eu-west-1", i <= 6 ? 3_000 : Math.min(12_000, 3_000 + 750.0 * (i - 6)));
      obs.viewers("IE", LONDON, 800);
      if (i == 6) {
        londonMissing(obs);
      }
      Decision d = liffey.decide(obs.build());
      plan = Plans.of(d, dublin);
      obs.fleet(dublin, plan.target(), obs.fleets.get(dublin).inService(), 10);
    }
    assertThat(plan.target()).isGreaterThanOrEqualTo(9);
  }

  /**
   * London unheard with 3 relays in service (4,500 viewers' worth), two adjacent minutes read a
   * minute apart, {@code before} then {@code after} viewers' worth sent; the second tick's plan.
   */
  private static FleetPlan afterTwoMinutes(double before, double after) {
    Observations obs = new Observations();
    londonMissing(obs);
    obs.fleet(RELAY, 3, 3, 10);
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    obs.sentMbps.put(LONDON, before * 2.5);
    obs.sentAt = Observations.T0.minusSeconds(40);
    liffey.decide(obs.build());
    obs.at(Observations.T0.plusSeconds(60));
    obs.sentMbps.put(LONDON, after * 2.5);
    obs.sentAt = Observations.T0.plusSeconds(20);
    Decision d = liffey.decide(obs.build());
    return Plans.of(d, RELAY);
  }

  @Test
  void aRiseFromOneMinuteToTheNext_goesOnUntilARelayFromThePoolIsInService() {
    // 2,000 then 4,000 viewers' worth: 33 a second more. 4,000 is 89% of 4,500, not full, and alone
    // it asks for 3 relays. The second minute's middle was 70 s ago (its end 40 s ago); a relay
    // resumed now is in service a tick and a warm boot (42 s) later: 4,000 + 33 x 112 s = 7,733
    // viewers, 6 relays at 1,350 each.
    FleetPlan plan = afterTwoMinutes(2_000, 4_000);

    assertThat(plan.target()).isEqualTo(6);
    assertThat(plan.reason())
        .contains("they sent 4,000 viewers' worth")
        .contains("up 2,000 on the minute before: 7,733 once a relay from the pool is in service");
  }

  @Test
  void aSteepRise_isNeverMoreThanTwiceTheRelaysInService() {
    assertThat(afterTwoMinutes(500, 4_000).target()).isEqualTo(6);
  }

  @Test
  void aMinuteNoHigherThanTheOneBefore_isSizedOnWhatItSent() {
    FleetPlan plan = afterTwoMinutes(4_200, 4_000);

    assertThat(plan.target()).isEqualTo(3);
    assertThat(plan.reason()).doesNotContain("on the minute before");
  }
}
