package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.engine.plan.LadderPlanner;
import dev.liffey.core.media.Ladder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Streams get a shorter ladder before any waits for a GPU, and the full one back with room. */
class LadderPlanTest {
  private static final String DUBLIN = "eu-west-1";
  private static final FleetId L4 = FleetId.transcode(DUBLIN, "g6.2xlarge");

  private final Observations obs = new Observations();
  private final LadderPlanner planner = new LadderPlanner(obs.config, new FleetCatalog(obs.config));

  private LadderPlan dublin(int l4InService, double streams, int tick) {
    obs.at(Observations.T0.plusSeconds(10L * tick));
    obs.fleet(L4, l4InService, l4InService, 0);
    obs.streams.put(DUBLIN, streams);
    List<LadderPlan> plans = planner.plan(obs.build());
    LadderPlan plan =
        plans.stream().filter(p -> p.region().equals(DUBLIN)).findFirst().orElseThrow();
    if (plan.changes()) { // written, as the control loop does
      Map<String, ControlState.LaddersInForce> ladders = new HashMap<>(obs.control.ladders());
      ladders.put(DUBLIN, new ControlState.LaddersInForce(obs.build().now(), plan));
      obs.control = obs.control.withLadders(ladders);
    }
    return plan;
  }

  @Test
  void withTooFewSlots_theFewestStreamsAreShortened_andNoneWaits() {
    LadderPlan plan = dublin(3, 35, 0); // three L4s: 30 slots for 35 streams

    assertThat(plan.on(Ladder.FULL)).isEqualTo(26);
    assertThat(plan.on(Ladder.FROM_720)).isEqualTo(9); // 26 + 9 x 0.43 = 29.9 slots
    assertThat(plan.waiting()).isZero();
    assertThat(plan.changes()).isTrue();
    assertThat(plan.reason())
        .isEqualTo(
            "ladders eu-west-1: 26 on 1080/720/480/360, 9 on 720/480/360"
                + " (30 transcoder slots for 35 streams)");
  }

  @Test
  void theFullLadderComesBack_onlyWithASlotToSpare() {
    dublin(3, 35, 0);

    LadderPlan justEnough = dublin(4, 40, 1); // 40 slots for 40 streams: none to spare
    assertThat(justEnough.full()).isFalse();
    assertThat(justEnough.on(Ladder.FROM_720)).isEqualTo(2);
    assertThat(justEnough.reason()).endsWith(", 1 to spare before the full ladder returns)");

    LadderPlan room = dublin(4, 39, 2);
    assertThat(room.full()).isTrue();
    assertThat(room.changes()).isTrue();
    assertThat(room.reason())
        .isEqualTo(
            "ladders eu-west-1: every stream on the full ladder again"
                + " (40 transcoder slots for 39 streams)");

    assertThat(dublin(4, 39, 3).changes()).isFalse();
  }

  @Test
  void whenEvenTheShortestLadderCannotHoldThemAll_onlyTheRestWait() {
    LadderPlan plan = dublin(1, 70, 0); // 10 slots: 56 streams on 480/360 at most

    assertThat(plan.on(Ladder.FULL)).isZero();
    assertThat(plan.on(Ladder.FROM_480)).isEqualTo(56);
    assertThat(plan.waiting()).isEqualTo(14);
    assertThat(plan.reason()).contains("14 waiting for a slot");
  }

  @Test
  void aNewLeaderComparesWithThePlanInTheControlTable_soItKeepsTheHysteresis() {
    LadderPlan written = dublin(3, 35, 0);
    obs.control =
        ControlState.EMPTY.withLadders(
            Map.of(DUBLIN, new ControlState.LaddersInForce(Observations.T0, written)));
    LadderPlanner newLeader = new LadderPlanner(obs.config, new FleetCatalog(obs.config));
    obs.at(Observations.T0.plusSeconds(10));
    obs.fleet(L4, 4, 4, 0);
    obs.streams.put(DUBLIN, 40.0);

    LadderPlan plan = newLeader.plan(obs.build()).get(0);

    assertThat(plan.full()).as("40 slots for 40 streams: none to spare yet").isFalse();
    assertThat(plan.changes()).isTrue();
  }

  @Test
  void aPlanThatWasNotWrittenIsMadeAgain() {
    dublin(3, 35, 0);
    obs.control = ControlState.EMPTY; // the write failed: the control table never got it

    assertThat(dublin(3, 35, 1).changes()).isTrue();
    assertThat(dublin(3, 35, 2).changes()).isFalse();
  }

  @Test
  void aRegionGetsItsFirstPlanEvenWhenEveryStreamIsOnTheFullLadder_forItsAgentsToRead() {
    LadderPlan first = dublin(3, 5, 0);

    assertThat(first.full()).isTrue();
    assertThat(first.changes()).isTrue();
    assertThat(dublin(3, 6, 1).changes()).isFalse();
  }

  @Test
  void aForcedLadderPutsEveryStreamOnIt_andSaysHowManyWait() {
    obs.control =
        ControlState.EMPTY.withLadderOrders(
            List.of(
                new ControlState.LadderOrder(
                    DUBLIN,
                    Optional.of(Ladder.FULL),
                    Observations.T0.plusSeconds(3600),
                    "sponsor's final",
                    "dave")));

    LadderPlan plan = dublin(3, 35, 0);

    assertThat(plan.on(Ladder.FULL)).isEqualTo(30);
    assertThat(plan.waiting()).isEqualTo(5);
    assertThat(plan.forced()).as("the agents shorten none to make room").contains(Ladder.FULL);
    assertThat(plan.changes()).isTrue();
    assertThat(plan.reason())
        .isEqualTo(
            "ladders eu-west-1: every stream on 1080/720/480/360, forced by dave until "
                + Observations.T0.plusSeconds(3600)
                + " (sponsor's final); 5 waiting for a slot (30 transcoder slots for 35 streams)");
  }

  @Test
  void aHoldKeepsThePlanInForce_andSaysWhatItWouldBeWithout() {
    LadderPlan shortened = dublin(3, 35, 0);
    obs.control =
        ControlState.EMPTY
            .withLadders(
                Map.of(DUBLIN, new ControlState.LaddersInForce(Observations.T0, shortened)))
            .withLadderOrders(
                List.of(
                    new ControlState.LadderOrder(
                        DUBLIN,
                        Optional.empty(),
                        Observations.T0.plusSeconds(3600),
                        "encoder trial",
                        "erin")));

    LadderPlan held = dublin(6, 35, 1); // GPUs arrived: unheld, every stream would be full

    assertThat(held.changes()).isFalse();
    assertThat(held.byLadder()).isEqualTo(shortened.byLadder());
    assertThat(held.reason())
        .startsWith("ladders eu-west-1 held by erin until ")
        .endsWith(
            "(encoder trial); unheld: every stream on the full ladder"
                + " (60 transcoder slots for 35 streams)");

    obs.control = obs.control.withLadderOrders(List.of());
    assertThat(dublin(6, 35, 2).full()).as("released: restored").isTrue();
  }

  @Test
  void streamsThatCannotBeReadDecideNothing() {
    obs.metricsAt = Observations.T0.minusSeconds(600);
    obs.streams.put(DUBLIN, 35.0);
    obs.fleet(L4, 3, 3, 0);

    assertThat(planner.plan(obs.build())).noneMatch(p -> p.region().equals(DUBLIN));
  }

  @Test
  void transcoderGroupsThatCannotBeReadDecideNothing_ratherThanCountingNoSlots() {
    obs.streams.put(DUBLIN, 35.0);
    obs.fleets
        .keySet()
        .removeIf(id -> id.region().equals(DUBLIN) && id.kind() == FleetKind.TRANSCODE);

    assertThat(planner.plan(obs.build())).noneMatch(p -> p.region().equals(DUBLIN));
  }
}
