package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.engine.guard.Guard;
import dev.liffey.autoscaler.engine.plan.Proposal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GuardTest {
  private static final FleetId DUBLIN_RELAYS = FleetId.relay("eu-west-1");
  private final Observations obs = new Observations();
  private final Guard guard = new Guard(obs.config, new FleetCatalog(obs.config));

  private FleetPlan decide(Instant at, int target, int current) {
    return decide(at, target, target, current, current, 10);
  }

  @Test
  void scalesOutAtOnce_andSaysWhy() {
    FleetPlan plan = decide(Observations.T0, 19, 12);

    assertThat(plan.target()).isEqualTo(19);
    assertThat(plan.reason()).isEqualTo("scale out relay eu-west-1 12→19: test forecast");
  }

  @Test
  void keepsCapacityThroughTheStabilizationWindow_whenDemandDipsWithinTheBand_thenScalesInSlowly() {
    decide(Observations.T0, 20, 20);

    FleetPlan early = decide(Observations.T0.plusSeconds(120), 19, 20);
    assertThat(early.target()).isEqualTo(20);
    assertThat(early.reason()).contains("demand needed 20 within the last 300s");

    for (int s = 130; s <= 300; s += 10) {
      decide(Observations.T0.plusSeconds(s), 19, 20);
    }
    FleetPlan later = decide(Observations.T0.plusSeconds(310), 19, 20);
    assertThat(later.target()).isEqualTo(19);
    assertThat(later.reason()).startsWith("scale in relay eu-west-1 20→19");
  }

  @Test
  void theWindowHoldsWhatDemandNeededWithinIt_afterRunningForMuchLongerThanIt() {
    // 50 ticks at 20, then 19 (within the band, not a collapse): the window has long since wrapped.
    for (int s = 0; s < 500; s += 10) {
      decide(Observations.T0.plusSeconds(s), 20, 20);
    }
    for (int s = 500; s <= 780; s += 10) {
      assertThat(decide(Observations.T0.plusSeconds(s), 19, 20).target()).isEqualTo(20);
    }

    FleetPlan stillHeld = decide(Observations.T0.plusSeconds(790), 19, 20);
    FleetPlan released = decide(Observations.T0.plusSeconds(800), 19, 20);

    assertThat(stillHeld.reason()).endsWith("demand needed 20 within the last 300s");
    assertThat(released.reason()).startsWith("scale in relay eu-west-1 20→19");
  }

  @Test
  void afterACollapse_capacityGoesOnceItCouldBeHadBackAgain_notAfterTheWholeWindow() {
    // Dublin's relays warm-boot in 32 s: a tick to see demand return, a tick to act, 32 s to boot.
    decide(Observations.T0, 20, 20);

    FleetPlan withinRegain = decide(Observations.T0.plusSeconds(50), 10, 20);
    assertThat(withinRegain.target()).isEqualTo(20);
    assertThat(withinRegain.reason()).contains("demand needed 20 within the last 300s");

    FleetPlan after = decide(Observations.T0.plusSeconds(60), 10, 20);
    assertThat(after.target()).isBetween(10, 19);
    assertThat(after.reason())
        .startsWith("scale in relay eu-west-1 20→")
        .contains("for 52s (demand collapsed: held as long as getting it back takes)");
  }

  @Test
  void aSmallFleetNeedingOneUnitLess_isNoCollapse_andHoldsTheWholeWindow() {
    // 6 relays to 5 is 17% less, past the 7% band, but one unit less is a boundary crossed by any
    // demand just under five relays' worth (a region draining as its sessions end), not an
    // audience gone: London gave such a relay up a minute before Britain surged onto it.
    decide(Observations.T0, 6, 6);

    FleetPlan afterRegain = decide(Observations.T0.plusSeconds(60), 5, 6);

    assertThat(afterRegain.target()).isEqualTo(6);
    assertThat(afterRegain.reason()).contains("demand needed 6 within the last 300s");
  }

  @Test
  void aSmallFleetNeedingTwoUnitsLess_hasCollapsed_andIsHeldOnlyAsLongAsGettingThemBackTakes() {
    decide(Observations.T0, 6, 6);

    FleetPlan afterRegain = decide(Observations.T0.plusSeconds(60), 4, 6);

    assertThat(afterRegain.target()).isBetween(4, 5);
    assertThat(afterRegain.reason()).contains("demand collapsed");
  }

  /**
   * 20 relays needed, a collapse to 10 that the guard gives up capacity for at 60 s, demand back to
   * 20 at {@code backAt}, then needed at 20 until a second collapse to 10 at 200 s.
   */
  private void swingThenCollapseAgain(int backAt) {
    decide(Observations.T0, 20, 20);
    int gaveUpTo = decide(Observations.T0.plusSeconds(60), 10, 20).target();
    assertThat(gaveUpTo).isLessThan(20);
    assertThat(decide(Observations.T0.plusSeconds(backAt), 20, gaveUpTo).target()).isEqualTo(20);
    for (int s = backAt + 10; s < 200; s += 10) {
      decide(Observations.T0.plusSeconds(s), 20, 20);
    }
    for (int s = 200; s < 250; s += 10) {
      decide(Observations.T0.plusSeconds(s), 10, 20);
    }
  }

  @Test
  void aCollapseThatCameBackSoonerThanItsCapacityCouldBeHadBack_holdsTheNextOneAsLongAgain() {
    // Back 10 s after the guard gave capacity up (a relay regains in 52 s): an audience swinging,
    // not leaving. The next collapse is held 52 + 10 s, not 52.
    swingThenCollapseAgain(70);

    FleetPlan held = decide(Observations.T0.plusSeconds(250), 10, 20);
    FleetPlan released = decide(Observations.T0.plusSeconds(260), 10, 20);

    assertThat(held.target()).isEqualTo(20);
    // 62 s ago it still needed 20: not yet a collapse, so the whole window holds it.
    assertThat(held.reason()).endsWith("demand needed 20 within the last 300s");
    assertThat(released.reason())
        .startsWith("scale in relay eu-west-1 20→")
        .contains(
            "for 62s (demand collapsed: held as long as getting it back takes and as the last"
                + " collapse lasted)");
  }

  @Test
  void aClimbBackBegunSoonerThanCapacityCouldBeHadBack_isASwing_thoughItAskedOnlyPartOfItBack() {
    // Given up at 60 s, two ticks of it; 20 s later the climb back asks for 18 of the 20 (below
    // the band of what the fleet had), and the rest only at 120 s, after a relay could regain.
    decide(Observations.T0, 20, 20);
    int first = decide(Observations.T0.plusSeconds(60), 10, 20).target();
    int second = decide(Observations.T0.plusSeconds(70), 10, first).target();
    assertThat(second).isLessThan(18);
    assertThat(decide(Observations.T0.plusSeconds(80), 18, second).target()).isEqualTo(18);
    for (int s = 90; s < 120; s += 10) {
      decide(Observations.T0.plusSeconds(s), 18, 18);
    }
    assertThat(decide(Observations.T0.plusSeconds(120), 20, 18).target()).isEqualTo(20);
    for (int s = 130; s < 200; s += 10) {
      decide(Observations.T0.plusSeconds(s), 20, 20);
    }
    for (int s = 200; s < 250; s += 10) {
      decide(Observations.T0.plusSeconds(s), 10, 20);
    }

    // The next collapse is held 52 + 20 s: at 250 s the last 72 s still needed 20.
    FleetPlan held = decide(Observations.T0.plusSeconds(250), 10, 20);
    decide(Observations.T0.plusSeconds(260), 10, 20);
    FleetPlan released = decide(Observations.T0.plusSeconds(270), 10, 20);

    assertThat(held.target()).isEqualTo(20);
    assertThat(held.reason()).endsWith("demand needed 20 within the last 300s");
    assertThat(released.reason())
        .startsWith("scale in relay eu-west-1 20→")
        .contains(
            "for 72s (demand collapsed: held as long as getting it back takes and as the last");
  }

  /** 20 relays needed, then a long descent given up a tick at a time from 60 s to 110 s. */
  private int descendATickAtATime() {
    decide(Observations.T0, 20, 20);
    int current = 20;
    for (int s = 60; s <= 110; s += 10) {
      int next = decide(Observations.T0.plusSeconds(s), 10, current).target();
      assertThat(next).as("given up at %d s", s).isLessThan(current);
      current = next;
    }
    return current;
  }

  @Test
  void aReturnSoonAfterTheLastCapacityGivenUp_isASwing_howeverLongAgoTheFirstWentUp() {
    // Back at 130 s: 70 s after the first relays went (more than the 52 s a relay regains in), 20 s
    // after the last.
    int current = descendATickAtATime();
    assertThat(decide(Observations.T0.plusSeconds(130), 20, current).target()).isEqualTo(20);
    for (int s = 140; s < 200; s += 10) {
      decide(Observations.T0.plusSeconds(s), 20, 20);
    }
    for (int s = 200; s < 310; s += 10) {
      decide(Observations.T0.plusSeconds(s), 10, 20);
    }

    // The next collapse is held 52 + 70 s: at 310 s the last 122 s still needed 20.
    FleetPlan held = decide(Observations.T0.plusSeconds(310), 10, 20);
    FleetPlan released = decide(Observations.T0.plusSeconds(320), 10, 20);

    assertThat(held.target()).isEqualTo(20);
    assertThat(released.reason())
        .startsWith("scale in relay eu-west-1 20→")
        .contains(
            "for 122s (demand collapsed: held as long as getting it back takes and as the last");
  }

  @Test
  void aBumpThatAsksBackALittleOfALongDecline_isNoSwing() {
    // The same descent, but what comes back at 130 s asks for one relay of the ten given up.
    int current = descendATickAtATime();
    assertThat(decide(Observations.T0.plusSeconds(130), current + 1, current).target())
        .isEqualTo(current + 1);
    for (int s = 140; s < 200; s += 10) {
      decide(Observations.T0.plusSeconds(s), 20, 20);
    }
    for (int s = 200; s < 250; s += 10) {
      decide(Observations.T0.plusSeconds(s), 10, 20);
    }

    FleetPlan released = decide(Observations.T0.plusSeconds(250), 10, 20);

    assertThat(released.reason())
        .startsWith("scale in relay eu-west-1 20→")
        .contains("for 52s (demand collapsed: held as long as getting it back takes)");
  }

  @Test
  void aCollapseThatCameBackOnlyAfterItsCapacityCouldBeHadBack_teachesTheGuardNothing() {
    // Back 60 s after: what was given up could have been had back in time; keep the usual 52 s.
    swingThenCollapseAgain(120);

    FleetPlan released = decide(Observations.T0.plusSeconds(250), 10, 20);

    assertThat(released.reason())
        .startsWith("scale in relay eu-west-1 20→")
        .contains("for 52s (demand collapsed: held as long as getting it back takes)");
  }

  /** A proposal whose forecast asks for {@code target} while the viewers now need {@code level}. */
  private FleetPlan decide(Instant at, int target, int level, int desired, int inService) {
    return decide(at, target, level, desired, inService, 0);
  }

  private FleetPlan decide(
      Instant at, int target, int level, int desired, int inService, int warm) {
    obs.at(at).fleet(DUBLIN_RELAYS, desired, inService, warm);
    return guard
        .apply(
            obs.build(),
            List.of(new Proposal(DUBLIN_RELAYS, target, target, level, 10, "test forecast")))
        .get(0);
  }

  @Test
  void launchesASpikeForecastAskedFor_andTheNextSamplesDisowned_areCancelledAtOnce() {
    // 14 relays serve the viewers; a spike forecast asks for 80; the next tick it says 18.
    decide(Observations.T0, 80, 14, 14, 14);

    FleetPlan disowned = decide(Observations.T0.plusSeconds(10), 18, 14, 80, 14);

    assertThat(disowned.target()).isEqualTo(18);
    assertThat(disowned.reason())
        .startsWith("scale in relay eu-west-1 80→18")
        .endsWith("; 62 still booting, cancelled: nothing needs them");
  }

  @Test
  void launchesForASurgeStillGoingOn_areNotCancelled_whenItsForecastDipsForATick() {
    // The same 80 asked for, then 40 with the viewers still climbing at a spike's rate (the rise
    // paused for a sample, or full relays flattened the count): what is booting stays booting, and
    // what nothing needs goes a fifth a tick, as capacity in service does.
    decide(Observations.T0, 80, 14, 14, 14);
    obs.at(Observations.T0.plusSeconds(10)).fleet(DUBLIN_RELAYS, 80, 14, 0);

    FleetPlan dipped =
        guard
            .apply(
                obs.build(),
                List.of(new Proposal(DUBLIN_RELAYS, 40, 40, 14, 10, "test forecast", true)))
            .get(0);

    assertThat(dipped.target()).as("80 - a fifth of the 40 unneeded").isEqualTo(72);
    assertThat(dipped.reason()).doesNotContain("cancelled");
  }

  @Test
  void capacityAlreadyInServiceThatNothingNeeds_stillGoesAFifthATick() {
    decide(Observations.T0, 80, 14, 14, 14);

    FleetPlan inService = decide(Observations.T0.plusSeconds(10), 18, 14, 80, 80);

    assertThat(inService.target()).as("80 - a fifth of the 62 unneeded").isEqualTo(67);
    assertThat(inService.reason()).doesNotContain("cancelled");
  }

  @Test
  void whatIsStillBootingWhenDemandCollapses_isKeptAsLongAsGettingItBackWouldTake() {
    // 40 viewers' worth of relays, 20 of them booting; demand falls to 10 and may come back.
    decide(Observations.T0, 40, 40, 40, 40);

    FleetPlan collapsed = decide(Observations.T0.plusSeconds(60), 10, 10, 40, 20);

    assertThat(collapsed.reason()).contains("demand collapsed").doesNotContain("cancelled");
    assertThat(collapsed.target()).as("40 - a fifth of the 30 unneeded").isEqualTo(34);
  }

  @Test
  void whatACollapseGivesUpStopsIntoTheWarmPool_andIsKeptThereForTheSkiRentalBreakEven() {
    // Dublin's relays: 95 s cold boot at $0.508/h running, $0.0036/h stopped: keeping one stopped
    // costs what a refill would after 13,405 s (3.7 h).
    assertThat(new FleetCatalog(obs.config).get(DUBLIN_RELAYS).keepStoppedFor()).hasSeconds(13_405);
    decide(Observations.T0, 40, 40);

    FleetPlan scaleIn = decide(Observations.T0.plusSeconds(60), 10, 40);
    assertThat(scaleIn.target()).isLessThan(40);
    assertThat(scaleIn.warmPool())
        .as("the configured 10, or all given up since the peak of 40 if more")
        .isEqualTo(Math.max(10, 40 - scaleIn.target()));

    FleetPlan hoursLater = decide(Observations.T0.plusSeconds(3 * 3600), 10, 10);
    assertThat(hoursLater.warmPool()).as("the 30 given up since the peak").isEqualTo(30);

    decide(Observations.T0.plusSeconds(13_406), 10, 10);
    FleetPlan afterTwoPeriods = decide(Observations.T0.plusSeconds(2 * 13_406), 10, 10);
    assertThat(afterTwoPeriods.warmPool()).as("back to the configured pool").isEqualTo(10);
  }

  @Test
  void aWarmPoolThePlannerJustShrank_isKeptThroughTheStabilizationWindow() {
    // Ireland's joins moved to Dublin bring London's stopped relays with them (a pool of 18); a
    // flapping London trusted again for a minute takes two of them back before Ireland leaves it
    // again. The two stay stopped (their volumes cost $0.0036/h each) instead of going and then
    // taking a cold boot, and a refill at the running price, to stand again.
    FleetPlan moved = decideWithPool(Observations.T0, 18);
    FleetPlan wobble = decideWithPool(Observations.T0.plusSeconds(60), 16);
    for (int s = 70; s <= 300; s += 10) {
      assertThat(decideWithPool(Observations.T0.plusSeconds(s), 16).warmPool()).isEqualTo(18);
    }
    FleetPlan afterTheWindow = decideWithPool(Observations.T0.plusSeconds(310), 16);

    assertThat(moved.warmPool()).isEqualTo(18);
    assertThat(wobble.warmPool()).isEqualTo(18);
    assertThat(afterTheWindow.warmPool()).isEqualTo(16);
  }

  private FleetPlan decideWithPool(Instant at, int pool) {
    obs.at(at).fleet(DUBLIN_RELAYS, 10, 10, pool);
    return guard
        .apply(obs.build(), List.of(new Proposal(DUBLIN_RELAYS, 10, 10, 10, pool, "test forecast")))
        .get(0);
  }

  @Test
  void transcodersDoNotFlap_whatWasJustLaunchedStaysAsLongAsGettingItBackWouldTake() {
    // The L4 group warm-boots in 60 s: held 80 s after a scale-out, though the forecast swung back.
    FleetId l4 = FleetId.transcode("eu-west-1", "g6.2xlarge");
    java.util.function.BiFunction<Integer, Integer, FleetPlan> at =
        (seconds, current) -> {
          obs.at(Observations.T0.plusSeconds(seconds)).fleet(l4, current, current, 3);
          int proposed = seconds == 0 ? 3 : 1;
          return guard
              .apply(
                  obs.build(),
                  List.of(new Proposal(l4, proposed, proposed, proposed, 3, "test forecast")))
              .get(0);
        };

    assertThat(at.apply(0, 1).target()).isEqualTo(3);
    for (int s = 10; s <= 70; s += 10) {
      FleetPlan held = at.apply(s, 3);
      assertThat(held.target()).as("at t+%ds", s).isEqualTo(3);
    }
    assertThat(at.apply(30, 3).reason())
        .isEqualTo(
            "hold transcode g6.2xlarge eu-west-1 at 3: scaled out 30s ago, kept for the 80s getting it back would take");
    assertThat(at.apply(90, 3).target()).isLessThan(3);
  }

  @Test
  void afterACollapse_aServiceKeepsReplicasForEveryViewerTheRelaysInServiceAdmit() {
    // chat: 4,000 viewers a replica, back in 40 s. An ad break takes the audience from 10 replicas'
    // worth to 3, and Dublin's 16 relays, still in service, would admit 24,000 of it back at once.
    java.util.function.IntBinaryOperator at =
        (seconds, relaysInService) -> chatAt(seconds, relaysInService, seconds == 0 ? 10 : 3);
    chatNow = 10;
    at.applyAsInt(0, 16);
    for (int s = 10; s <= 150; s += 10) {
      at.applyAsInt(s, 16);
    }
    assertThat(chatNow).isEqualTo(6);
    assertThat(lastReason)
        .isEqualTo(
            "hold chat eu-west-1 at 6: demand collapsed; kept for the 24,000 viewers the"
                + " relays in service could admit before a replica is back");

    // The relays give their capacity up: the replicas follow them down to the service's floor.
    for (int s = 160; s <= 250; s += 10) {
      at.applyAsInt(s, 4);
    }
    assertThat(chatNow).isEqualTo(3);
  }

  private int chatNow;
  private String lastReason;

  /**
   * Dublin's chat at {@code chatNow} replicas, {@code seconds} in, with {@code relays} relays in
   * service and {@code proposed} replicas proposed; follows the plan.
   */
  private int chatAt(int seconds, int relays, int proposed) {
    FleetId chat = FleetId.service("eu-west-1", "chat");
    obs.at(Observations.T0.plusSeconds(seconds))
        .fleet(DUBLIN_RELAYS, relays, relays, 10)
        .fleet(chat, chatNow, chatNow, 0);
    FleetPlan plan =
        guard
            .apply(
                obs.build(),
                List.of(new Proposal(chat, proposed, proposed, proposed, 0, "test forecast")))
            .get(0);
    chatNow = plan.target();
    lastReason = plan.reason();
    return plan.target();
  }

  @Test
  void onceTheAudienceHasComeBackSlowly_aServiceKeepsOnlyWhatCouldBeBackBeforeAReplicaIs() {
    // Dublin's Irish audience: 30,000, gone to 4,000 (a sawtooth's drop), back at 100 viewers a
    // second for 260 s, then gone again. Relays and chat follow the guard's plans at once.
    FleetId chat = FleetId.service("eu-west-1", "chat");
    int[] relays = {23};
    chatNow = 9;
    java.util.function.IntUnaryOperator tick =
        seconds -> {
          double viewers =
              seconds == 0
                  ? 30_000
                  : seconds < 70 ? 4_000 : Math.min(30_000, 4_000 + 100.0 * (seconds - 60));
          if (seconds >= 340) {
            viewers = 4_000;
          }
          obs.at(Observations.T0.plusSeconds(seconds))
              .viewers("IE", "eu-west-1", viewers)
              .fleet(DUBLIN_RELAYS, relays[0], relays[0], 10)
              .fleet(chat, chatNow, chatNow, 0);
          int needRelays = (int) Math.ceil(viewers / 1_350);
          int needChat = (int) Math.ceil(viewers / 3_600);
          List<FleetPlan> plans =
              guard.apply(
                  obs.build(),
                  List.of(
                      new Proposal(DUBLIN_RELAYS, needRelays, needRelays, needRelays, 10, "test"),
                      new Proposal(chat, needChat, needChat, needChat, 0, "test")));
          relays[0] = plans.get(0).target();
          chatNow = plans.get(1).target();
          lastReason = plans.get(1).reason();
          return chatNow;
        };
    for (int s = 0; s < 340; s += 10) {
      tick.applyAsInt(s);
    }
    assertThat(relays[0]).isEqualTo(23);
    assertThat(chatNow).isEqualTo(9);

    // Gone again: the relays are held 52 s, but chat's 40 s over, what could be back before a
    // replica (4,000 and 100 a second for 40 s: 8,000, 3 replicas at most) is all it keeps.
    for (int s = 340; s <= 380; s += 10) {
      tick.applyAsInt(s);
    }
    assertThat(relays[0]).as("the relays, still held").isEqualTo(23);
    assertThat(chatNow).isLessThan(9);
    assertThat(lastReason).doesNotContain("relays in service");
  }

  /**
   * Dublin's Irish audience, relays following the guard's plans at once: {@code viewers(seconds)}
   * each tick from 0 to {@code until}, proposals at 1,350 viewers a relay; the relays at each tick.
   */
  private Map<Integer, FleetPlan> dublinRelays(
      java.util.function.IntToDoubleFunction viewers, int until) {
    Map<Integer, FleetPlan> plans = new TreeMap<>();
    int relays = (int) Math.ceil(viewers.applyAsDouble(0) / 1_350);
    for (int s = 0; s <= until; s += 10) {
      double v = viewers.applyAsDouble(s);
      obs.at(Observations.T0.plusSeconds(s))
          .viewers("IE", "eu-west-1", v)
          .fleet(DUBLIN_RELAYS, relays, relays, 10);
      int need = (int) Math.ceil(v / 1_350);
      FleetPlan plan =
          guard
              .apply(
                  obs.build(), List.of(new Proposal(DUBLIN_RELAYS, need, need, need, 10, "test")))
              .get(0);
      plans.put(s, plan);
      relays = plan.target();
    }
    return plans;
  }

  /**
   * Two ad breaks, at 300 s and 600 s: 27,000 viewers drift to 12,000 in 30 s and come back in 10
   * s, after 90 s the first time, after 180 s the second (longer than the first one's hold).
   */
  private static double adBreaks(int seconds) {
    int start = seconds < 600 ? 300 : 600;
    int trough = seconds < 600 ? 90 : 180;
    int into = seconds - start;
    if (into < 0 || into >= 30 + trough + 10) {
      return 27_000;
    }
    if (into < 30) {
      return 27_000 - 15_000 * into / 30.0;
    }
    return into < 30 + trough ? 12_000 : 12_000 + 15_000 * (into - 30 - trough) / 10.0;
  }

  @Test
  void onceAnAudienceHasComeBackFromABreak_theRelaysKeepWhatCameBackThrough_theNextBreak() {
    Map<Integer, FleetPlan> plans = dublinRelays(GuardTest::adBreaks, 820);

    // The first break: how fast the audience comes back is not known, so the relays it left idle
    // go once a relay could be had back (52 s), and the return finds them gone.
    assertThat(plans.get(420).target()).as("the first break's trough").isLessThan(20);
    // The second, longer than the first was held for: 15,000 came back within 52 s, to the level
    // held before; the relays keep it for the whole break.
    for (int s = 630; s <= 810; s += 10) {
      assertThat(plans.get(s).target()).as("relays at %d s, in the second break", s).isEqualTo(20);
    }
    assertThat(plans.get(800).reason())
        .contains(
            "kept for the 27,000 viewers there could be once the audience comes back as it last"
                + " did, before a relay is back");
  }

  @Test
  void aBurstAboveTheLevelHeld_isNotKeptFor_afterItsAudienceLeaves() {
    // 15,000 viewers; a burst to 27,000 for a minute every 240 s from 300 s, in 10 s and out in
    // 10 s. Each burst's rise is above any level held, so none is expected back at its end.
    java.util.function.IntToDoubleFunction bursts =
        seconds -> {
          int into = seconds < 300 ? -1 : (seconds - 300) % 240;
          return into >= 0 && into < 80 ? 27_000 : 15_000;
        };
    Map<Integer, FleetPlan> plans = dublinRelays(bursts, 720);

    assertThat(plans.get(550).target()).as("the second burst, met").isEqualTo(20);
    assertThat(plans.get(720).target())
        .as("a minute and a half after the second burst left")
        .isLessThan(20);
    assertThat(plans.values()).noneMatch(p -> p.reason().contains("comes back as it last did"));
  }

  @Test
  void aScaleOutRecordedInTheControlStoreHoldsScaleInAfterARestart() {
    // A fresh guard (a restarted daemon or a new leader) has no memory; the control store has.
    obs.control =
        new ControlState(
            List.of(),
            List.of(),
            List.of(),
            java.util.Map.of(
                DUBLIN_RELAYS,
                new ControlState.LastAction(Observations.T0.minusSeconds(60), 8, 20)));

    FleetPlan plan = decide(Observations.T0, 5, 20);

    assertThat(plan.target()).isEqualTo(20);
    assertThat(plan.reason())
        .isEqualTo(
            "hold relay eu-west-1 at 20: scaled out at 2026-12-01T19:59:00Z, cool-down"
                + " until 2026-12-01T20:04:00Z");
  }

  @Test
  void neverScalesInOnMissingMetrics() {
    obs.missingViewers.add(new MarketRegion("IE", "eu-west-1"));
    for (int s = 0; s <= 600; s += 10) {
      decide(Observations.T0.plusSeconds(s), 5, 20);
    }
    FleetPlan plan = decide(Observations.T0.plusSeconds(610), 5, 20);

    assertThat(plan.target()).isEqualTo(20);
    assertThat(plan.reason())
        .isEqualTo("hold relay eu-west-1 at 20: no scale-in on missing viewers IE@eu-west-1");
  }

  @Test
  void
      aScaleInOnCountsFromFewerRelaysThanAreInService_keepsEveryRelayNotCounted_andStillScalesOut() {
    // Dublin has 20 relays in service and 17 published: the sum misses three relays' viewers, and
    // an audience that did not leave reads as one that did. The 17 counted 22,000 viewers: at the
    // target utilization (1,350 a relay) they need 17, and the 3 not counted stay.
    obs.relaysReporting.put("eu-west-1", 17.0);
    obs.viewers("IE", "eu-west-1", 22_000);
    for (int s = 0; s <= 600; s += 10) {
      decide(Observations.T0.plusSeconds(s), 5, 20);
    }
    FleetPlan held = decide(Observations.T0.plusSeconds(610), 5, 20);

    assertThat(held.target()).isEqualTo(20);
    assertThat(held.reason())
        .isEqualTo(
            "hold relay eu-west-1 at 20: no scale-in on viewers of eu-west-1 counted on 17 of its"
                + " 20 relays in service (the 3 not counted and the 17 the counted viewers need)");

    // Fewer counted viewers: the scale-in goes on, down to the 3 not counted and the counted
    // viewers' 8 (10,800), never below.
    obs.viewers("IE", "eu-west-1", 10_800);
    FleetPlan in = decide(Observations.T0.plusSeconds(620), 5, 20);
    assertThat(in.target()).isLessThan(20).isGreaterThanOrEqualTo(11);
    assertThat(in.reason())
        .endsWith(
            "; every relay not counted kept (viewers of eu-west-1 counted on 17 of its 20 relays in"
                + " service)");
    int size = in.target();
    for (int s = 630; s <= 1200; s += 10) {
      // The relays taken out were counted ones: the same 3 stay silent.
      obs.relaysReporting.put("eu-west-1", size - 3.0);
      size = decide(Observations.T0.plusSeconds(s), 5, size).target();
    }
    assertThat(size).isEqualTo(11);

    // Every relay reporting (a draining one too), the scale-in the proposal allows goes on.
    obs.relaysReporting.put("eu-west-1", 21.0);
    assertThat(decide(Observations.T0.plusSeconds(1210), 5, size).target()).isLessThan(11);

    // Short of reports again, a rise is still met at once.
    obs.relaysReporting.put("eu-west-1", 17.0);
    assertThat(decide(Observations.T0.plusSeconds(1220), 30, 20).target()).isEqualTo(30);
  }

  @Test
  void aServiceScalesInOnCountsFromFewerRelays_neverBelowEveryViewerTheRelaysCouldHold() {
    // A spike forecast took chat to 12 replicas (4,000 viewers each, 3,600 at the target
    // utilization); Dublin's 20 relays, 17 publishing, counted 10,800 viewers. The 3 silent relays
    // hold at most 1,500 each: 15,300 viewers at most, 5 replicas.
    obs.relaysReporting.put("eu-west-1", 17.0);
    obs.viewers("IE", "eu-west-1", 10_800);
    chatNow = 12;
    for (int s = 0; s <= 1200; s += 10) {
      chatAt(s, 20, s == 0 ? 12 : 3);
    }

    assertThat(chatNow).isEqualTo(5);
    assertThat(lastReason)
        .isEqualTo(
            "hold chat eu-west-1 at 5: no scale-in on viewers of eu-west-1 counted on 17 of its 20"
                + " relays in service (5 for the 15,300 viewers the relays could hold, each not"
                + " counted full)");
  }

  @Test
  void aRegionScalesInOnItsOwnCounts_anotherRegionsMissingSeriesDoNotHoldIt() {
    // London's Irish series missing (its agents silent): Dublin's own counts are read, partly
    // (17 of 20 relays), and its relays scale in on them, to the 3 not counted and the 8 the
    // counted viewers need. Before stop 54 any missing series of a market held every region
    // serving it: London, which serves all three markets, held every fleet of the edge.
    obs.relaysReporting.put("eu-west-1", 17.0);
    obs.viewers("IE", "eu-west-1", 10_800);
    obs.missingViewers.add(new MarketRegion("IE", "eu-west-2"));
    int size = 20;
    for (int s = 0; s <= 1200; s += 10) {
      obs.relaysReporting.put("eu-west-1", size - 3.0);
      size = decide(Observations.T0.plusSeconds(s), 5, size).target();
    }
    assertThat(size).isEqualTo(11);
  }

  private static final FleetId LONDON_RELAYS = FleetId.relay("eu-west-2");

  /** London with none of its counts read, 20 relays in service, the proposal 3. */
  private FleetPlan londonUnheard(int seconds, int relays, Double sentViewers, int sentAge) {
    for (String market : List.of("IE", "GB", "DE")) {
      obs.missingViewers.add(new MarketRegion(market, "eu-west-2"));
    }
    obs.sentMbps.clear();
    if (sentViewers != null) {
      obs.sentMbps.put("eu-west-2", sentViewers * 2.5);
    }
    obs.at(Observations.T0.plusSeconds(seconds)).fleet(LONDON_RELAYS, relays, relays, 10);
    obs.sentAt = Observations.T0.plusSeconds(seconds - sentAge);
    return guard
        .apply(obs.build(), List.of(new Proposal(LONDON_RELAYS, 3, 3, 3, 10, "test forecast")))
        .get(0);
  }

  @Test
  void aRegionWithNoCount_scalesInOnWhatItsRelaysSent_whileTheyHadRoom() {
    // 10,800 viewers' worth sent from 20 relays of 1,500 (36% full): nobody was refused, and the
    // relays those viewers need at the target utilization (1,350 each) are 8.
    int size = 20;
    for (int s = 0; s <= 1200; s += 10) {
      size = londonUnheard(s, size, 10_800.0, 30).target();
    }
    assertThat(size).isEqualTo(8);

    // Full (29,000 of 30,000 for a minute): a crowd of unknown size is refused, so nothing goes.
    assertThat(londonUnheard(1210, 20, 29_000.0, 30).target()).isEqualTo(20);
    // The traffic older than its minute and the staleness allowance, or not read: held.
    assertThat(londonUnheard(1220, 20, 10_800.0, 121).reason())
        .startsWith("hold relay eu-west-2 at 20: no scale-in on missing viewers");
    assertThat(londonUnheard(1230, 20, null, 0).target()).isEqualTo(20);
  }

  @Test
  void neverScalesInOnStaleMetrics_butStillScalesOut() {
    obs.at(Observations.T0.plusSeconds(900));
    obs.metricsAt = Observations.T0;
    obs.fleet(DUBLIN_RELAYS, 20, 20, 10);
    Observation stale = obs.build();

    FleetPlan in =
        guard.apply(stale, List.of(new Proposal(DUBLIN_RELAYS, 5, 5, 5, 10, "f"))).get(0);
    FleetPlan out =
        guard.apply(stale, List.of(new Proposal(DUBLIN_RELAYS, 30, 30, 30, 10, "f"))).get(0);

    assertThat(in.target()).isEqualTo(20);
    assertThat(in.reason()).contains("no scale-in on stale viewers IE@eu-west-1 (900s old)");
    assertThat(out.target()).isEqualTo(30);
  }

  @Test
  void anOnCallFloorRaisesTheTargetUntilItsTime() {
    obs.control =
        new ControlState(
            List.of(
                new ControlState.CapacityFloor(
                    "eu-west-1",
                    "relay",
                    40,
                    Observations.T0.plusSeconds(3600),
                    "final kicks off at 20:00",
                    "alice")),
            List.of(),
            List.of());

    FleetPlan plan = decide(Observations.T0, 12, 12);

    assertThat(plan.target()).isEqualTo(40);
    assertThat(plan.reason())
        .contains(
            "on-call floor 40 until 2026-12-01T21:00:00Z by alice (final kicks off at 20:00)");
  }

  @Test
  void aFreezeHoldsTheFleetWhateverTheForecast() {
    obs.freeze(
        Optional.of("eu-west-1"),
        Optional.empty(),
        Observations.T0.plusSeconds(3600),
        "bot flood, do not scale",
        "bob");

    FleetPlan plan = decide(Observations.T0, 90, 12);

    assertThat(plan.target()).isEqualTo(12);
    assertThat(plan.reason())
        .isEqualTo("hold relay eu-west-1 at 12: frozen by bob (bot flood, do not scale)");
  }

  @Test
  void aFreezeThatHasEnded_holdsNothing() {
    obs.freeze(
        Optional.of("eu-west-1"),
        Optional.empty(),
        Observations.T0,
        "bot flood, do not scale",
        "bob");

    FleetPlan plan = decide(Observations.T0, 90, 12);

    assertThat(plan.target()).isGreaterThan(12);
    assertThat(plan.reason()).doesNotContain("frozen");
  }

  @Test
  void aKnownEventsFloorBesideAHigherOnCallFloor_neverLowersIt() {
    Instant until = Observations.T0.plusSeconds(3600);
    obs.control =
        new ControlState(
            List.of(
                new ControlState.CapacityFloor("eu-west-1", "relay", 40, until, "final", "alice"),
                new ControlState.CapacityFloor(
                    "eu-west-1",
                    "relay",
                    25,
                    until.plusSeconds(3600),
                    "known event 'Cup'",
                    "liffey-autoscaler (known events)",
                    Optional.of("Cup"))),
            List.of(),
            List.of());

    FleetPlan plan = decide(Observations.T0, 12, 12);

    assertThat(plan.target()).isEqualTo(40);
    assertThat(obs.control.floors())
        .extracting(f -> f.key().toString())
        .containsExactly("floor#eu-west-1#relay", "floor#eu-west-1#relay#Cup");
  }

  @Test
  void anOnCallOverrideHoldsExactlyItsCapacity_upOrDown_untilItsTime() {
    obs.control =
        ControlState.EMPTY.withOverrides(
            List.of(
                new ControlState.CapacityOverride(
                    "eu-west-1",
                    "relay",
                    25,
                    Observations.T0.plusSeconds(1800),
                    "hold for the encore",
                    "erin")));

    FleetPlan up = decide(Observations.T0, 90, 12);
    FleetPlan down = decide(Observations.T0.plusSeconds(10), 5, 40);
    FleetPlan after = decide(Observations.T0.plusSeconds(1810), 30, 25);

    assertThat(up.target()).isEqualTo(25);
    assertThat(up.reason())
        .isEqualTo(
            "scale out relay eu-west-1 12→25: on-call override 25 until"
                + " 2026-12-01T20:30:00Z by erin (hold for the encore)");
    assertThat(down.target()).isEqualTo(25);
    assertThat(down.reason()).startsWith("scale in relay eu-west-1 40→25: on-call override 25");
    assertThat(after.target()).isEqualTo(30);
  }

  @Test
  void aDrainedRegionKeepsItsCapacity_butStillScalesOut() {
    obs.control =
        ControlState.EMPTY.withDrains(
            List.of(
                new ControlState.Drain(
                    "eu-west-1", Observations.T0, "Dublin network maintenance", "frank")));
    for (int s = 0; s <= 900; s += 10) {
      decide(Observations.T0.plusSeconds(s), 5, 20);
    }

    FleetPlan in = decide(Observations.T0.plusSeconds(910), 5, 20);
    FleetPlan out = decide(Observations.T0.plusSeconds(920), 26, 20);

    assertThat(in.target()).isEqualTo(20);
    assertThat(in.reason())
        .isEqualTo(
            "hold relay eu-west-1 at 20: eu-west-1 drained by frank (Dublin network"
                + " maintenance); capacity kept for undrain");
    assertThat(out.target()).isEqualTo(26);
  }

  @Test
  void theBudgetCapTrimsScaleOuts_servicesBeforeRelays() {
    var tight =
        dev.liffey.autoscaler.TestConfigs.variant("budgetUsdPerHour: 1200", "budgetUsdPerHour: 30");
    Guard budgeted = new Guard(tight, new FleetCatalog(tight));
    FleetId chat = FleetId.service("eu-west-1", "chat");
    obs.fleet(DUBLIN_RELAYS, 4, 4, 10).fleet(chat, 3, 3, 0);

    // 120 relays (61 USD/h) and 60 chat replicas (4.5 USD/h) would break a 30 USD/h budget.
    List<FleetPlan> plans =
        budgeted.apply(
            obs.build(),
            List.of(
                new Proposal(DUBLIN_RELAYS, 120, 120, 120, 0, "huge"),
                new Proposal(chat, 60, 60, 60, 0, "huge")));

    assertThat(plans.get(1).target()).isEqualTo(3);
    assertThat(plans.get(1).reason()).endsWith("; budget cap 30 USD/h held back 57");
    assertThat(plans.get(0).target()).isEqualTo(58);
    assertThat(plans.get(0).target() * 0.508).isLessThanOrEqualTo(30.0);
  }

  @Test
  void aRegionThatCouldNotBeReadStillCountsAgainstTheBudget_atItsLastKnownCost() {
    var tight =
        dev.liffey.autoscaler.TestConfigs.variant("budgetUsdPerHour: 1200", "budgetUsdPerHour: 30");
    Guard budgeted = new Guard(tight, new FleetCatalog(tight));
    FleetId london = FleetId.relay("eu-west-2");
    obs.fleet(DUBLIN_RELAYS, 4, 4, 0);
    Observation seen = obs.build();
    Map<FleetId, FleetState> read = new TreeMap<>(seen.fleets());
    read.remove(london);
    FleetState londonLastKnown = new FleetState(london, 40, 40, 0, 0, 0);
    // London's 40 relays (about 20 USD/h) were not read this tick, but they still run.
    Observation blind =
        new Observation(
            seen.now(),
            seen.metrics(),
            read,
            seen.weights(),
            seen.control(),
            Map.of(london, londonLastKnown));

    List<FleetPlan> plans =
        budgeted.apply(blind, List.of(new Proposal(DUBLIN_RELAYS, 40, 40, 40, 0, "spike")));

    assertThat(plans)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.target()).isLessThan(40);
              assertThat(p.reason()).contains("budget cap 30 USD/h held back");
            });
  }
}
