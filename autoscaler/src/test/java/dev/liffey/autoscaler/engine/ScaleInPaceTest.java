package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scale-in gives capacity up at the same pace in time whatever the tick: a loop ticking every
 * second reads each 10 s metrics period ten times, and gave up the capacity a spike forecast had
 * bought ten times as fast on the same evidence (here Dublin went from 46 relays to 25 in 10 s,
 * where a 10 s tick takes 100 s; the daemon soak, ticking every second, did the same).
 */
class ScaleInPaceTest {
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");

  /**
   * Dublin's relays every 10 s from 120 s to 200 s, ticking every {@code tick} seconds: Ireland at
   * 14,000, 39,000 for the two periods from 100 s, then 14,000 again; each tick reads the period
   * before its own, and what is asked for is in service at once.
   */
  private static List<Integer> relaysEveryPeriod(int tick) {
    Observations obs = new Observations();
    LiffeyPolicy liffey =
        new LiffeyPolicy(TestConfigs.variant("tickSeconds: 10", "tickSeconds: " + tick));
    obs.fleet(DUBLIN, 12, 12, 10);
    List<Integer> out = new ArrayList<>();
    for (int s = 0; s <= 200; s += tick) {
      obs.at(Observations.T0.plusSeconds(s));
      long period = (s / 10) * 10 - 10;
      obs.metricsAt = Observations.T0.plusSeconds(period);
      double ireland = period >= 100 && period < 120 ? 39_000 : 14_000;
      obs.viewers("IE", "eu-west-1", ireland * 200 / 255);
      obs.viewers("IE", "eu-west-2", ireland * 55 / 255);
      FleetPlan plan = Plans.of(liffey.decide(obs.build()), DUBLIN);
      obs.fleet(DUBLIN, plan.target(), plan.target(), 10);
      if (s >= 120 && s % 10 == 0) {
        out.add(plan.target());
      }
    }
    return out;
  }

  @Test
  void everySecondOrEveryTenSeconds_theSpikesRelaysGoAtTheSamePace() {
    List<Integer> tenSeconds = relaysEveryPeriod(10);
    List<Integer> everySecond = relaysEveryPeriod(1);

    // The spike bought relays, and a 10 s tick gives them up over more than a minute.
    assertThat(tenSeconds.get(0)).isGreaterThan(tenSeconds.get(tenSeconds.size() - 1) + 10);
    for (int i = 0; i < tenSeconds.size(); i++) {
      assertThat(everySecond.get(i))
          .as("relays at %d s, ticking every second (every 10 s: %s)", 120 + 10 * i, tenSeconds)
          .isBetween(tenSeconds.get(i) - 1, tenSeconds.get(i) + 1);
    }
  }
}
