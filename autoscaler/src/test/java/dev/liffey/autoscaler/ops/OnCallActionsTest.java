package dev.liffey.autoscaler.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.sim.InMemoryControlStore;
import dev.liffey.autoscaler.sim.SimulatedCloud;
import dev.liffey.autoscaler.sim.Simulation;
import dev.liffey.autoscaler.sim.TraceParser;
import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On-call's actions against the simulated cloud and the in-memory control store, with the
 * autoscaler's own loop ticking beside them: what each changes, what the next tick makes of it, and
 * what happens when two on-calls act on the same entry.
 */
class OnCallActionsTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");

  private Simulation.Prepared sim;
  private SimulatedCloud cloud;
  private InMemoryControlStore store;
  private final Map<String, String> geo =
      new HashMap<>(
          Map.of(
              "GB",
              CONFIG.routing().regionalName("eu-west-2"),
              "DE",
              CONFIG.routing().regionalName("eu-central-1")));

  @BeforeEach
  void steadyAudience() throws Exception {
    var trace =
        new TraceParser(CONFIG)
            .parse(
                "steady.csv",
                new StringReader(
                    "t,kind,key,value\n0,viewers,IE,20000\n0,viewers,GB,5000\n0,viewers,DE,3000\n"
                        + "14400,viewers,IE,20000\n14400,viewers,GB,5000\n14400,viewers,DE,3000\n"));
    sim =
        new Simulation(CONFIG, trace, Simulation.DEFAULT_START)
            .prepare(() -> new LiffeyPolicy(CONFIG));
    cloud = sim.cloud();
    store = sim.controlStore();
  }

  private ChangeDesk desk(String who, ChangeDesk.Confirmation confirmation) {
    return new ChangeDesk(store, () -> who, cloud, confirmation, false, who + "'s reason");
  }

  private ChangeDesk desk(String who) {
    return desk(who, change -> true);
  }

  private CapacityActions capacity(ChangeDesk desk) {
    return new CapacityActions(desk, Scalable.of(cloud, cloud));
  }

  private RoutingActions routing(ChangeDesk desk) {
    return new RoutingActions(
        CONFIG,
        desk,
        cloud,
        new GeoRecords() {
          @Override
          public Map<String, String> targets() {
            return Map.copyOf(geo);
          }

          @Override
          public void point(Map<String, String> marketToName) {
            geo.putAll(marketToName);
          }
        });
  }

  private int desired(FleetId id) {
    return cloud.fleets().stream()
        .filter(f -> f.id().equals(id))
        .mapToInt(FleetState::desired)
        .findFirst()
        .orElseThrow();
  }

  /** On-call's audit records (the autoscaler audits its own ticks beside them). */
  private List<String> audit() {
    return store.auditLog().stream()
        .filter(r -> !r.who().startsWith("liffey-autoscaler"))
        .map(r -> r.who() + " " + r.what() + ": " + r.why())
        .toList();
  }

  /** Ticks the autoscaler for {@code d}. */
  private Decision run(Duration d) {
    Decision last = null;
    for (long s = 0; s < d.toSeconds(); s += CONFIG.scaling().tick().toSeconds()) {
      last = sim.tick();
    }
    return last;
  }

  @Test
  void
      twoOnCallsChangingTheSameOverride_theSecondIsRefused_toldWhoChangedWhat_andNothingOfItsChangeHappens() {
    // Alice looks (her confirmation shows the state she saw); while she reads it, Bob holds Dublin
    // at 30.
    ChangeDesk alice =
        desk(
            "alice",
            change -> {
              assertThat(capacity(desk("bob")).scale(DUBLIN, 30, Duration.ofHours(2)))
                  .isInstanceOf(Outcome.Applied.class);
              return true;
            });

    assertThatThrownBy(() -> capacity(alice).scale(DUBLIN, 45, Duration.ofHours(1)))
        .isInstanceOf(ConcurrentChangeException.class)
        .hasMessageStartingWith(
            "not changed: override#eu-west-1#relay was changed by someone else since you looked;"
                + " it is now: relay eu-west-1 held at 30 until ")
        .hasMessageContaining(" by bob (bob's reason)")
        .hasMessageEndingWith(
            "Nothing was written: look again ('liffey status') and run the command again if it is"
                + " still needed");
    assertThat(desired(DUBLIN)).isEqualTo(30);
    assertThat(store.read().overrides())
        .singleElement()
        .satisfies(o -> assertThat(o.who()).isEqualTo("bob"));
    assertThat(audit()).containsExactly("bob scale: bob's reason");
  }

  @Test
  void aReleaseIsConditionalToo_anOverrideExtendedMeanwhileIsNotReleased() {
    capacity(desk("bob")).scale(DUBLIN, 30, Duration.ofMinutes(30));
    ChangeDesk alice =
        desk(
            "alice",
            change -> {
              capacity(desk("bob"))
                  .scale(
                      DUBLIN,
                      30,
                      Duration.ofHours(3)); // Bob extends it as Alice decides to release
              return true;
            });

    assertThatThrownBy(() -> capacity(alice).releaseOverride(DUBLIN))
        .isInstanceOf(ConcurrentChangeException.class)
        .hasMessageContaining(
            "it is now: relay eu-west-1 held at 30 until " + cloud.now().plus(Duration.ofHours(3)));
    assertThat(store.read().overrideFor(DUBLIN, cloud.now())).isPresent();
  }

  @Test
  void routeShift50_thenATick_changesNothing_whereRoundingOnceMovedTheWeightsAgain() {
    Outcome shifted = routing(desk("carol")).shift("IE", "eu-west-2", 50, Duration.ofHours(1));

    assertThat(shifted).isInstanceOf(Outcome.Applied.class);
    assertThat(((Outcome.Applied) shifted).done())
        .contains("weights {eu-west-1=200, eu-west-2=55} → {eu-west-1=128," + " eu-west-2=128}");
    assertThat(cloud.weights()).isEqualTo(Map.of("eu-west-1", 128, "eu-west-2", 128));
    Decision next = run(Duration.ofMinutes(2));
    assertThat(next.routing())
        .get()
        .satisfies(
            r -> {
              assertThat(r.changes()).isFalse();
              assertThat(r.reason()).contains("on-call pin: 50% to eu-west-2");
            });
    assertThat(cloud.weights()).isEqualTo(Map.of("eu-west-1", 128, "eu-west-2", 128));
    assertThat(audit()).containsExactly("carol route: carol's reason");
  }

  @Test
  void aFreezeHoldsUntilItEnds_thenTheAutoscalerActsAgain() {
    new FreezeActions(desk("dave"))
        .freeze(Optional.of("eu-west-1"), Optional.of("relay"), Duration.ofMinutes(30));
    int frozenAt = desired(DUBLIN);
    cloud.setCapacity(
        DUBLIN, frozenAt + 40, 0); // far more than the audience needs: only a freeze would keep it

    Decision frozen = run(Duration.ofMinutes(10));
    assertThat(plan(frozen, DUBLIN).reason())
        .startsWith("hold relay eu-west-1 at " + (frozenAt + 40) + ": frozen by dave");

    Decision after = run(Duration.ofMinutes(25));
    assertThat(plan(after, DUBLIN).reason()).doesNotContain("frozen");
    assertThat(desired(DUBLIN)).isLessThan(frozenAt + 40);
  }

  @Test
  void aFreezeIsBounded_andEveryFreezeHasAnEnd() {
    assertThatThrownBy(
            () ->
                new FreezeActions(desk("dave"))
                    .freeze(Optional.empty(), Optional.empty(), Duration.ofHours(25)))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("at most 24h");
    assertThat(store.read().freezes()).isEmpty();

    new FreezeActions(desk("dave"))
        .freeze(Optional.empty(), Optional.empty(), FreezeActions.DEFAULT);
    assertThat(store.read().freezes())
        .singleElement()
        .satisfies(f -> assertThat(f.until()).isEqualTo(cloud.now().plus(Duration.ofHours(2))));
  }

  @Test
  void aDryRunReadsWhatIsThere_saysWhatWouldChange_andWritesNothing() {
    ChangeDesk dry =
        new ChangeDesk(
            store,
            () -> "erin",
            cloud,
            change -> {
              throw new AssertionError("a dry run asks nothing");
            },
            true,
            "practice");
    int before = desired(DUBLIN);

    Outcome o = capacity(dry).scale(DUBLIN, before + 10, Duration.ofHours(1));

    assertThat(o)
        .isEqualTo(
            new Outcome.WouldApply(
                "set relay eu-west-1 from "
                    + before
                    + " to "
                    + (before + 10)
                    + " and hold it there until "
                    + cloud.now().plus(Duration.ofHours(1))));
    assertThat(desired(DUBLIN)).isEqualTo(before);
    assertThat(audit()).isEmpty();
    assertThat(store.read().overrides()).isEmpty();
  }

  @Test
  void drainingTwice_isNothingToDo_andUndrainBringsTheMarketsBack() {
    Outcome drained = routing(desk("gina")).drain("eu-west-2");
    assertThat(drained).isInstanceOf(Outcome.Applied.class);
    assertThat(cloud.weights()).containsEntry("eu-west-2", 0);
    assertThat(geo).containsEntry("GB", CONFIG.routing().regionalName("eu-west-1"));

    assertThat(routing(desk("gina")).drain("eu-west-2"))
        .isEqualTo(new Outcome.NothingToDo("eu-west-2 is drained" + " already"));

    routing(desk("gina")).undrain("eu-west-2");
    assertThat(geo).containsEntry("GB", CONFIG.routing().regionalName("eu-west-2"));
    assertThat(store.read().drains()).isEmpty();
    assertThat(audit()).containsExactly("gina drain: gina's reason", "gina undrain: gina's reason");
  }

  @Test
  void aKnownEventsFloors_sitBesideOnCallsFloor_andRemovingTheEventLeavesOnCallsFloor() {
    capacity(desk("alice")).prewarm(DUBLIN, 60, Duration.ofHours(3));
    var event =
        new dev.liffey.core.config.KnownEvent(
            "Cup replay",
            "IE",
            cloud.now().plus(Duration.ofMinutes(10)),
            Duration.ofHours(2),
            40_000,
            Duration.ofMinutes(20));
    new EventActions(CONFIG, desk("alice")).add(event);
    dev.liffey.autoscaler.engine.EventPrewarm.due(CONFIG, store.read(), cloud.now())
        .forEach(
            (name, floors) ->
                floors.forEach(
                    f ->
                        store.commit(
                            new AuditRecord(cloud.now(), "liffey", "prewarm", f.reason(), "", ""),
                            List.of(Write.put(f, store.read().version(f.key()))))));

    assertThat(store.read().floors())
        .extracting(f -> f.key().toString())
        .containsExactlyInAnyOrder(
            "floor#eu-west-1#relay",
            "floor#eu-west-1#relay#Cup replay",
            "floor#eu-west-2#relay#Cup replay");
    assertThat(store.read().floorFor(DUBLIN, cloud.now()))
        .get()
        .extracting(ControlState.CapacityFloor::capacity)
        .isEqualTo(60);

    Outcome removed = new EventActions(CONFIG, desk("alice")).remove("Cup replay");
    assertThat(((Outcome.Applied) removed).done())
        .startsWith("removed event 'Cup replay' and its relay floors ");
    assertThat(store.read().floors())
        .extracting(f -> f.key().toString())
        .containsExactly("floor#eu-west-1#relay");
    assertThat(store.read().events()).isEmpty();
  }

  private static FleetPlan plan(Decision d, FleetId id) {
    return Plans.of(d, id);
  }
}
