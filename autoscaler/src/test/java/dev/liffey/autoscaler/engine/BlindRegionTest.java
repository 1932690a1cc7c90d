package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
    for (Market m : obs.config.markets()) {
      m.servedBy().stream()
          .filter(s -> s.regionId().equals(LONDON))
          .forEach(s -> obs.missingViewers.add(new MarketRegion(m.code(), LONDON)));
    }
    obs.fleet(RELAY, desired, 6, 10);
    return obs;
  }

  private static FleetPlan relays(Observations obs) {
    Decision d = new LiffeyPolicy(obs.config).decide(obs.build());
    return d.fleets().stream().filter(p -> p.fleet().equals(RELAY)).findFirst().orElseThrow();
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
}
