package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions stay on the region they joined: a weight change moves joins, not viewers. */
class StickyPlanningTest {
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");
  private static final FleetId LONDON = FleetId.relay("eu-west-2");
  private static final FleetId LONDON_GAME = FleetId.service("eu-west-2", "game");
  private static final FleetId LONDON_CHAT = FleetId.service("eu-west-2", "chat");

  @Test
  void afterAShift_londonIsSizedForTheJoinsItWillGet_andDublinKeepsItsSessions() {
    // Ireland moved to London (Dublin degraded), 18,000 of its 20,000 viewers still on Dublin;
    // 15-minute sessions bring 222 joins a period, every one to London now.
    Observations obs =
        irelandMovedToLondon(8).viewers("IE", "eu-west-2", 2_000).joins("IE", "eu-west-2", 222);

    Decision d = decide(obs);

    // London, a warm boot (42 s) ahead: GB's 8,000 and its noise, the Irish there who stay (about
    // 1,940) and the joins until then (932): 11,000, 9 relays at 1,350 (its 8 warm ones cover the
    // cold boot's 2,331 joins); and the room Dublin's own plan leaves on its relays (about 1,500:
    // 13 of its 14 for its 16,700 a warm boot ahead), which an Irish surge's first seconds would
    // have found there: 10. All of Ireland at once (28,500) would be 22.
    assertThat(plan(d, LONDON).target()).isEqualTo(10);
    // Dublin: nothing joins it, but about 16,200 of its viewers are still watching there in 105 s.
    assertThat(plan(d, DUBLIN).target()).isGreaterThanOrEqualTo(12);
  }

  @Test
  void whileIrelandSurges_theRegionItsJoinsMovedTo_isReadyForItsShareOfAllOfIreland() {
    // Ireland moved to London (Dublin degraded), 18,000 of its viewers still on Dublin, and a
    // surge: London's Irish grow 2% a second from 2,000 for 100 s. The turnover measured over the
    // last cold boot lags a surge, so London is planned as if Ireland's sessions turned over too.
    Observations obs = irelandMovedToLondon(10);
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    Decision d = null;
    double london = 2_000;
    for (int i = 0; i <= 10; i++) {
      double grown = london * Math.exp(0.02 * 10 * i);
      obs.at(Observations.T0.plusSeconds(10L * i))
          .viewers("IE", "eu-west-2", grown)
          .joins("IE", "eu-west-2", grown - london * Math.exp(0.02 * 10 * (i - 1)));
      d = liffey.decide(obs.build());
    }
    // Ireland's 32,800 growing 0.7% a second, at its upper quantile a cold boot ahead (about
    // 51,700), with Britain's 8,000: 59,700 viewers, 45 relays at 1,350, and 2 for the room
    // Dublin's share left. The London Irish and their growth alone would ask for 33.
    assertThat(plan(d, LONDON).target()).isEqualTo(47);
    assertThat(plan(d, LONDON).reason()).contains("IE spike");
  }

  @Test
  void theWarmPoolAShareOfIrelandCouldHaveUsed_goesWithItsJoins() {
    // Dublin keeps 10 stopped relays and London 8 for the first minutes of a surge; with the
    // configured weights (200/55) a surge of Ireland meets both pools.
    Observations obs = irishEvening(14);
    Decision configured = decide(obs);
    // Half of Dublin's share moved to London (a Dublin incident): half of Dublin's pool goes too.
    obs.weights = Map.of("eu-west-1", 100, "eu-west-2", 155);
    Decision half = decide(obs);
    // All of it: London now meets an Irish surge alone, with both pools.
    obs.weights = Map.of("eu-west-1", 0, "eu-west-2", 255);
    Decision all = decide(obs);

    assertThat(plan(configured, LONDON).warmPool()).isEqualTo(8);
    assertThat(plan(half, LONDON).warmPool()).isEqualTo(13);
    assertThat(plan(all, LONDON).warmPool()).isEqualTo(18);
    assertThat(plan(all, LONDON).reason()).endsWith("; warm pool +10 for the IE joins moved here");
    // Dublin, which gave its share up, keeps its own pool for what still lands there.
    assertThat(plan(all, DUBLIN).warmPool()).isEqualTo(10);
  }

  @Test
  void theRoomAShareOfIrelandCouldHaveUsed_goesWithItsJoins_butNotADrainedRegionsOrAScaleInsLag() {
    // Dublin's plan for its 15,600 Irish (no joins: all of them stay) is 12 relays at 1,350: they
    // hold 18,000, so 2,400 more could join there in a surge's first seconds, before any launch.
    Observations obs = irishEvening(12);
    int configured = plan(decide(obs), LONDON).target();
    // A Dublin incident moves all of Ireland's joins to London: the room goes with them.
    obs.weights = Map.of("eu-west-1", 0, "eu-west-2", 255);
    FleetPlan moved = plan(decide(obs), LONDON);
    // Dublin with 20 relays still in service, not yet scaled in to its plan: the same room, not 8
    // relays more of it.
    obs.fleet(DUBLIN, 20, 20, 10);
    FleetPlan lagging = plan(decide(obs), LONDON);
    // Dublin drained by on-call (the router has taken its weight away): its relays are kept for
    // the undrain, not for joins; its pool's part still goes.
    obs.fleet(DUBLIN, 12, 12, 10);
    obs.control =
        ControlState.EMPTY.withDrains(
            List.of(
                new ControlState.Drain(
                    "eu-west-1", Observations.T0.minusSeconds(600), "AZ failure", "on-call")));
    FleetPlan drained = plan(decide(obs), LONDON);

    // London's own viewers a warm boot ahead (12,400 and GB's noise: 12,600-12,900) take 10
    // relays at 1,350; with Dublin's 2,400 of room beside them, 12.
    assertThat(configured).isEqualTo(10);
    assertThat(moved.target()).isEqualTo(12);
    assertThat(moved.reason())
        .endsWith(
            "; room for 2,400 more viewers in service; warm pool +10 for the IE joins moved here");
    assertThat(lagging.target()).isEqualTo(12);
    assertThat(drained.target()).isEqualTo(10);
    assertThat(drained.reason()).endsWith("; warm pool +10 for the IE joins moved here");
  }

  @Test
  void theServicesOfTheRegionIrelandMovedTo_keepReplicasForTheRoomItsRelaysKeep() {
    // The viewers a surge's first seconds put on London's relays in Dublin's stead want chat and
    // a game there too: without replicas for them, London's services meet the surge alone while
    // Dublin's idle.
    Observations obs = irishEvening(12);
    Decision configured = decide(obs);
    obs.weights = Map.of("eu-west-1", 0, "eu-west-2", 255);
    Decision moved = decide(obs);

    // London's own 12,600-12,900 viewers soon: game 5 replicas at 2,700 (3,000 at 0.9), chat 4 at
    // 3,600; with Dublin's 2,400 of room beside them (15,000-15,300): 6 and 5.
    assertThat(plan(configured, LONDON_GAME).target()).isEqualTo(5);
    assertThat(plan(moved, LONDON_GAME).target()).isEqualTo(6);
    assertThat(plan(configured, LONDON_CHAT).target()).isEqualTo(4);
    assertThat(plan(moved, LONDON_CHAT).target()).isEqualTo(5);
    assertThat(plan(moved, LONDON_GAME).reason())
        .endsWith("; room for 2,400 more viewers for the IE joins moved here");
    // Dublin, which gave the room up, keeps its services for its own viewers.
    assertThat(plan(moved, FleetId.service("eu-west-1", "game")).target())
        .isEqualTo(plan(configured, FleetId.service("eu-west-1", "game")).target());
  }

  @Test
  void theRoomMovedHere_isKeptBesideTheRoomThisRegionsOwnPlanLeaves_notInsideIt() {
    // A London incident has moved Ireland's joins to Dublin, where its 2,000 viewers sit on the
    // floor of 4 relays (6,000 at full, 4,000 of it spare). London's plan for Britain's 7,000 is
    // 6 relays at 1,350, which would have admitted 2,000 more of an Irish surge's first seconds
    // under the configured weights. A surge meets Dublin's spare and London's there; now it meets
    // Dublin's alone, so Dublin must keep both.
    Observations obs =
        new Observations()
            .viewers("IE", "eu-west-1", 2_000)
            .viewers("GB", "eu-west-2", 7_000)
            .latency("IE", "eu-west-2", 400)
            .fleet(DUBLIN, 4, 4, 10)
            .fleet(LONDON, 6, 6, 8);
    obs.weights = Map.of("eu-west-1", 255, "eu-west-2", 0);

    Decision d = decide(obs);

    // Folded into Dublin's demand (4,000 at 1,350: 3 relays) the room would vanish into the floor
    // of 4; beside it, 2,000 at full capacity is 2 relays more.
    assertThat(plan(d, DUBLIN).target()).isEqualTo(6);
    assertThat(plan(d, DUBLIN).reason()).contains("room for 2,000 more viewers in service");
    // Its services likewise: chat's floor of 3 and one replica (4,000 at full) for the room; a
    // game's floor of 2 and one (3,000 at full).
    assertThat(plan(d, FleetId.service("eu-west-1", "chat")).target()).isEqualTo(4);
    assertThat(plan(d, FleetId.service("eu-west-1", "game")).target()).isEqualTo(3);
  }

  /**
   * Ireland's joins all moved to London (Dublin degraded), 18,000 Irish still watching on Dublin's
   * 14 relays, Britain's 8,000 on London's {@code londonRelays}.
   */
  private static Observations irelandMovedToLondon(int londonRelays) {
    Observations obs =
        new Observations()
            .viewers("IE", "eu-west-1", 18_000)
            .viewers("GB", "eu-west-2", 8_000)
            .latency("IE", "eu-west-1", 199)
            .fleet(DUBLIN, 14, 14, 10)
            .fleet(LONDON, londonRelays, londonRelays, 8);
    obs.weights = Map.of("eu-west-1", 0, "eu-west-2", 255);
    return obs;
  }

  /**
   * Ireland's 20,000 (15,600 of them on Dublin's {@code dublinRelays}, with 10 stopped) and
   * Britain's 8,000, on London's 10 relays and 8 stopped.
   */
  private static Observations irishEvening(int dublinRelays) {
    return new Observations()
        .viewers("IE", "eu-west-1", 15_600)
        .viewers("IE", "eu-west-2", 4_400)
        .viewers("GB", "eu-west-2", 8_000)
        .fleet(DUBLIN, dublinRelays, dublinRelays, 10)
        .fleet(LONDON, 10, 10, 8);
  }

  /** A fresh Liffey's decision on {@code obs} as it stands: no history, one tick. */
  private static Decision decide(Observations obs) {
    return new LiffeyPolicy(obs.config).decide(obs.build());
  }

  private static FleetPlan plan(Decision d, FleetId id) {
    return Plans.of(d, id);
  }
}
