package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import org.junit.jupiter.api.Test;

/**
 * Relays that came into service since the period read began have not published in it yet: they are
 * no silent relays, and the counts of those that were there all along are the audience. In the
 * daemon soak, counted as silent, they read as a surge of (in service / reporting) after every
 * scale-out, and the fleets went to their ceilings within four ticks.
 */
class ArrivingRelaysTest {
  private static final String DUBLIN = "eu-west-1";
  private static final FleetId RELAYS = FleetId.relay(DUBLIN);

  /**
   * Ireland steady (4,000 viewers on Dublin's 4 relays, 1,000 in London), ticked every 10 s for a
   * minute, each reading the period that began 10 s before the tick.
   */
  private static Observations aSteadyMinute(LiffeyPolicy liffey, Observations obs) {
    obs.fleet(RELAYS, 4, 4, 10);
    for (int i = 0; i <= 6; i++) {
      tick(liffey, obs, i, 4_000, 4);
    }
    return obs;
  }

  /** Tick {@code i}: Dublin's Irish viewers as read, and how many of its relays published them. */
  private static Decision tick(
      LiffeyPolicy liffey, Observations obs, int i, double dublin, double reporting) {
    obs.atTick(i);
    obs.viewers("IE", DUBLIN, dublin);
    obs.viewers("IE", "eu-west-2", 1_000);
    obs.relaysReporting.put(DUBLIN, reporting);
    return liffey.decide(obs.build());
  }

  private static double irishSeen(Decision d) {
    return d.forecasts().get("IE").observedViewers();
  }

  @Test
  void aScaleOutsRelaysInServiceBeforeTheyPublished_areNoSurge() {
    Observations obs = new Observations();
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    aSteadyMinute(liffey, obs);

    // Eight more relays came into service since the period read began: 4 of 12 published in it.
    obs.fleet(RELAYS, 12, 12, 2);
    Decision arrived = tick(liffey, obs, 7, 4_000, 4);

    // Counted as silent they were three times Dublin's viewers: 13,000 Irish, and a spike.
    assertThat(irishSeen(arrived)).isCloseTo(5_000, within(1.0));
    assertThat(arrived.forecasts().get("IE").forecastViewers()).isLessThan(6_000);
    // Next period the newcomers publish (none holds anyone yet): the same audience.
    Decision published = tick(liffey, obs, 8, 4_000, 12);
    assertThat(irishSeen(published)).isCloseTo(5_000, within(1.0));
  }

  @Test
  void relaysInServiceAllThroughThatDidNotPublish_stillStandForTheirViewers() {
    Observations obs = new Observations();
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    aSteadyMinute(liffey, obs);

    // Two of the four relays there all along went quiet: the two that published hold half.
    Decision half = tick(liffey, obs, 7, 2_000, 2);

    assertThat(irishSeen(half)).isCloseTo(5_000, within(1.0));
  }

  @Test
  void onTheFirstTick_howManyWereInServiceWhenThePeriodBeganIsNotKnown_soNothingIsScaledUp() {
    Observations obs = new Observations();
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    obs.fleet(RELAYS, 12, 12, 2);

    // Just started (or just leading): 4 of the 12 in service now published in the period read.
    Decision first = tick(liffey, obs, 0, 4_000, 4);

    assertThat(irishSeen(first)).isCloseTo(5_000, within(1.0));
    // The guard keeps the 8 relays it could not count, with the 3 the 4,000 counted viewers need.
    FleetPlan dublin = Plans.of(first, RELAYS);
    assertThat(dublin.target()).isEqualTo(11);
  }

  @Test
  void afterTicksItDidNotMake_whatItSawBeforeTellsNothingAboutThePeriodRead() {
    // A minute on 12 relays, then two minutes not leading, in which Dublin went down to 4 and
    // 8 more came into service since the period read began.
    Observations obs = new Observations();
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    obs.fleet(RELAYS, 12, 12, 2);
    for (int i = 0; i <= 6; i++) {
      tick(liffey, obs, i, 4_000, 12);
    }

    Decision back = tick(liffey, obs, 18, 4_000, 4);

    // The 12 it saw last were not there all through the period: read as silent, 13,000 Irish.
    assertThat(irishSeen(back)).isCloseTo(5_000, within(1.0));
  }
}
