package dev.liffey.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.daemon.AddedEventsJob;
import dev.liffey.autoscaler.daemon.LiveControlLoop;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.core.media.Ladder;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * liffey scale, drain/undrain, events and plan as processes against the emulator, with the
 * autoscaler's loop beside them.
 */
class OnCallChangesIT extends EmulatorTest {
  @TempDir Path dir;
  private EmulatedEdge edge;
  private DynamoDbControlStore store;
  private final Instant[] now = {Instant.now().truncatedTo(ChronoUnit.SECONDS)};
  private ControlLoop loop;

  @BeforeEach
  void deploy() throws Exception {
    edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    store = DynamoDbControlStore.of(edge.config, aws);
    store.createTableIfMissing();
    loop = LiveControlLoop.create(edge.config, aws, new NoKubernetes(), () -> now[0], false);
  }

  private LiffeyJar.Result liffey(String... args) throws Exception {
    return new LiffeyJar(dir, emulator.endpoint()).run(edge.configFile, args);
  }

  private Decision tickWith(Map<String, Double> viewers) {
    now[0] = now[0].plusSeconds(10);
    edge.publish(now[0].minusSeconds(5), viewers, Map.of());
    return loop.tick();
  }

  @Test
  void scaleSetsExactlyN_theAutoscalerKeepsItUpAndDown_untilReleased() throws Exception {
    LiffeyJar.Result dry =
        liffey(
            "scale",
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--capacity",
            "20",
            "--for",
            "2h",
            "--reason",
            "hold Dublin for the encore",
            "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out())
        .startsWith("dry run: would set relay eu-west-1 from 4 to 20 and hold it there until ");
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(4);
    assertThat(store.read().overrides()).isEmpty();

    LiffeyJar.Result scale =
        liffey(
            "scale",
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--capacity",
            "20",
            "--for",
            "2h",
            "--reason",
            "hold Dublin for the encore",
            "--yes");
    assertThat(scale.exit()).as(scale.err()).isZero();
    assertThat(scale.out()).startsWith("scale relay eu-west-1: 4→20, held until ");
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(20);

    // A crowd that needs more, then one that needs far less: the override holds both ways.
    tickWith(Map.of("IE@eu-west-1", 60_000.0));
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(20);
    Decision quiet = tickWith(Map.of("IE@eu-west-1", 100.0));
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(20);
    assertThat(quiet.fleets())
        .anySatisfy(
            p ->
                assertThat(p.reason())
                    .startsWith("hold relay eu-west-1 at 20: on-call override 20 until ")
                    .endsWith("(hold Dublin for the encore)"));
    assertThat(liffey("status", "--region", "eu-west-1").out())
        .contains("OVERRIDE: relay eu-west-1 held at 20 until ");

    LiffeyJar.Result release =
        liffey(
            "scale",
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--release",
            "--reason",
            "encore over",
            "--yes");
    assertThat(release.exit()).as(release.err()).isZero();
    assertThat(release.out()).startsWith("released relay eu-west-1 (by arn:aws:");
    tickWith(Map.of("IE@eu-west-1", 60_000.0));
    assertThat(edge.relayDesired("eu-west-1")).isGreaterThan(20);
    assertThat(liffey("history").out())
        .contains("scale     arn:aws:")
        .contains("why: hold Dublin for the encore")
        .contains("release   arn:aws:")
        .contains("why: encore over");
  }

  @Test
  void drainMovesEveryMarketOffLondon_keepingItsCapacity_andUndrainBringsThemBack()
      throws Exception {
    aws.autoScaling("eu-west-2")
        .setDesiredCapacity(
            b ->
                b.autoScalingGroupName(EmulatedEdge.relayGroupName("eu-west-2"))
                    .desiredCapacity(12));

    LiffeyJar.Result drain =
        liffey("drain", "--region", "eu-west-2", "--reason", "London DDoS", "--yes");
    assertThat(drain.exit()).as(drain.err()).isZero();
    assertThat(drain.out())
        .startsWith(
            "drain eu-west-2: IE weights {eu-west-1=200, eu-west-2=55} → {eu-west-1=200,"
                + " eu-west-2=0}, GB → eu-west-1."
                + edge.config.routing().entryName());
    assertThat(edge.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 0));
    assertThat(edge.geoTargets())
        .containsEntry("GB", edge.config.routing().regionalName("eu-west-1"))
        .containsEntry("DE", edge.config.routing().regionalName("eu-central-1"));

    // Nobody is left in London: without the drain it would scale in.
    Decision quiet = tickWith(Map.of("IE@eu-west-1", 3_000.0, "GB@eu-west-1", 2_000.0));
    assertThat(edge.relayDesired("eu-west-2")).isEqualTo(12);
    assertThat(quiet.fleets())
        .anySatisfy(
            p ->
                assertThat(p.reason())
                    .startsWith("hold relay eu-west-2 at 12:" + " eu-west-2 drained by arn:aws:")
                    .endsWith("(London DDoS); capacity kept for undrain"));
    assertThat(edge.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 0));
    assertThat(liffey("status").out()).contains("DRAINED: eu-west-2 since ");

    LiffeyJar.Result again = liffey("drain", "--region", "eu-west-2", "--reason", "again", "--yes");
    assertThat(again.out()).isEqualTo("eu-west-2 is drained already; nothing changed\n");

    LiffeyJar.Result undrain =
        liffey("undrain", "--region", "eu-west-2", "--reason", "scrubbing in place", "--yes");
    assertThat(undrain.exit()).as(undrain.err()).isZero();
    assertThat(edge.geoTargets())
        .containsEntry("GB", edge.config.routing().regionalName("eu-west-2"));
    tickWith(Map.of("IE@eu-west-1", 3_000.0, "GB@eu-west-1", 2_000.0));
    assertThat(edge.weights().get("eu-west-2")).isGreaterThan(0);
  }

  @Test
  void drainRefusesToLeaveAMarketNowhere_andChangesNothing() throws Exception {
    assertThat(liffey("drain", "--region", "eu-west-2", "--reason", "x", "--yes").exit()).isZero();

    LiffeyJar.Result refused =
        liffey("drain", "--region", "eu-central-1", "--reason", "x", "--yes");

    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err())
        .isEqualTo(
            "liffey: cannot drain eu-central-1: market DE would have no region left"
                + " (eu-central-1, eu-west-2 are drained); undrain one first, or add a region to its servedBy in"
                + " edge-regions.yaml\n");
    assertThat(store.read().drains())
        .extracting(ControlState.Drain::region)
        .containsExactly("eu-west-2");
    assertThat(edge.geoTargets())
        .containsEntry("DE", edge.config.routing().regionalName("eu-central-1"));
  }

  @Test
  void anAddedEventPrewarmsRelaysFromItsPrewarmTime_andRemovingItLiftsItsFloors() throws Exception {
    String start =
        Instant.now().plus(15, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    LiffeyJar.Result add =
        liffey(
            "events",
            "add",
            "--name",
            "Cup final replay",
            "--market",
            "IE",
            "--start",
            start,
            "--duration",
            "2h",
            "--viewers",
            "85000",
            "--reason",
            "broadcaster confirmed",
            "--yes");
    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.out())
        .contains("added event 'Cup final replay': 85,000 IE viewers at " + start)
        .contains(" (by arn:aws:")
        .contains("relay floors eu-west-1 ≥ 50, eu-west-2 ≥ 14 from ")
        .contains("its pre-warm time has come");
    assertThat(liffey("events", "list").out())
        .contains(start + " warming    IE        85,000 viewers")
        .contains("Cup final replay");

    // The daemon's every-minute job writes the floors; the next tick raises the relays to them.
    assertThat(AddedEventsJob.writeDue(edge.config, store, Instant.now())).isEqualTo(2);
    assertThat(store.read().floors())
        .extracting(f -> f.region() + " ≥ " + f.capacity())
        .containsExactlyInAnyOrder("eu-west-1 ≥ 50", "eu-west-2 ≥ 14");
    assertThat(AddedEventsJob.writeDue(edge.config, store, Instant.now())).isZero();
    now[0] = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    tickWith(Map.of("IE@eu-west-1", 500.0));
    // At least the floors; the forecast, which knows the event too, may ask for more.
    assertThat(edge.relayDesired("eu-west-1")).isGreaterThanOrEqualTo(50);
    assertThat(edge.relayDesired("eu-west-2")).isGreaterThanOrEqualTo(14);

    LiffeyJar.Result remove =
        liffey(
            "events",
            "remove",
            "--name",
            "Cup final replay",
            "--reason",
            "match postponed",
            "--yes");
    assertThat(remove.exit()).as(remove.err()).isZero();
    assertThat(remove.out()).startsWith("removed event 'Cup final replay' and its relay floors ");
    assertThat(store.read().floors()).isEmpty();
    assertThat(store.read().events()).isEmpty();
  }

  @Test
  void planSaysWhatTheAutoscalerWouldDo_andChangesNothing() throws Exception {
    edge.gpuGroup("eu-west-1", "g6.2xlarge", 1, 0); // one L4: 10 full-ladder slots
    for (int m = 5; m >= 0; m--) {
      edge.publish(
          Instant.now().minusSeconds(60L * m + 5),
          Map.of("IE@eu-west-1", 40_000.0, "IE@eu-west-2", 11_000.0),
          Map.of(),
          Map.of("eu-west-1", 35.0));
    }

    LiffeyJar.Result plan = liffey("plan");

    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("(dry run: nothing changed)")
        .contains("IE viewers 51,000 now")
        .containsPattern("scale out relay eu-west-1 4→\\d+: ")
        // 35 streams on 10 slots: shortened, so that none waits for the L4s being asked for.
        .containsPattern(
            "ladders eu-west-1: \\d+ on 720/480/360, \\d+ on 480/360"
                + " \\(10 transcoder slots for 35 streams\\)");
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(4);
    assertThat(store.history(Instant.now().minusSeconds(600), Instant.now())).isEmpty();
    LiffeyJar.Result yaml = liffey("plan", "-o", "yaml");
    assertThat(yaml.exit()).as(yaml.err()).isZero();
    assertThat(yaml.out()).contains("fleets:").contains("reason: \"scale out relay eu-west-1 4→");
  }

  @Test
  void theAutoscalerWritesLaddersForTheAgents_onCallForcesOrHoldsThem_andStatusShowsThem()
      throws Exception {
    edge.gpuGroup("eu-west-1", "g6.2xlarge", 1, 0); // one L4: 10 full-ladder slots
    // As in a shortage: the autoscaler cannot add L4s (frozen), so the slots stay 10.
    store.put(
        new ControlState.Freeze(
            Optional.of("eu-west-1"),
            Optional.of("transcode"),
            now[0].plusSeconds(3600),
            "L4 shortage",
            "it"),
        0);
    Map<String, Double> viewers = Map.of("IE@eu-west-1", 4_000.0);
    Map<String, Double> streams = Map.of("eu-west-1", 14.0);
    now[0] = now[0].plusSeconds(10);
    edge.publish(now[0].minusSeconds(5), viewers, Map.of(), streams);
    Decision shortened = loop.tick();
    assertThat(shortened.reasons()).anyMatch(r -> r.startsWith("ladders eu-west-1: "));
    ControlState.LaddersInForce written = store.read().ladders().get("eu-west-1");
    assertThat(written.plan().on(Ladder.FROM_720)).as(written.plan().reason()).isPositive();
    assertThat(written.plan().waiting()).isZero();
    assertThat(store.history(now[0].minusSeconds(60), now[0].plusSeconds(60)))
        .anySatisfy(
            r -> assertThat(r.after()).contains("ladders eu-west-1 ").contains("x720/480/360"));

    LiffeyJar.Result force =
        liffey(
            "ladder",
            "force",
            "--region",
            "eu-west-1",
            "--ladder",
            "full",
            "--for",
            "30m",
            "--reason",
            "sponsor's final in full HD",
            "--yes");
    assertThat(force.exit()).as(force.err()).isZero();
    assertThat(force.out())
        .startsWith("every stream of eu-west-1 on 1080/720/480/360 until ")
        .contains(": sponsor's final in full HD\n")
        .contains(
            "warning: at the last plan's 14 streams on 10 transcoder slots, 4 streams of"
                + " eu-west-1 will wait for a slot on 1080/720/480/360");
    now[0] = now[0].plusSeconds(10);
    edge.publish(now[0].minusSeconds(5), viewers, Map.of(), streams);
    loop.tick();
    LadderPlan forced = store.read().ladders().get("eu-west-1").plan();
    assertThat(forced.forced()).contains(Ladder.FULL);
    assertThat(forced.on(Ladder.FULL)).isEqualTo(10);
    assertThat(forced.waiting()).isEqualTo(4);

    LiffeyJar.Result status = liffey("status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("ladders eu-west-1 since ")
        .contains(": 10 on 1080/720/480/360, 4 waiting for a slot (forced by on-call)")
        .containsPattern(
            "LADDERS FORCED: every stream of eu-west-1 on 1080/720/480/360 until \\S+ by"
                + " arn:aws:\\S+ \\(sponsor's final in full HD\\)");
    LiffeyJar.Result json = liffey("status", "-o", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(json.out())
        .contains("\"forced\" : \"1080/720/480/360\"")
        .contains("\"1080/720/480/360\" : 10");

    LiffeyJar.Result hold =
        liffey(
            "ladder",
            "hold",
            "--region",
            "eu-west-1",
            "--reason",
            "keep it while the A10Gs warm up",
            "--yes");
    assertThat(hold.exit()).as(hold.err()).isZero();
    assertThat(hold.out()).startsWith("ladders of eu-west-1 held until ");
    // The L4s came: unheld, every stream would be on the full ladder.
    aws.autoScaling("eu-west-1")
        .setDesiredCapacity(
            b ->
                b.autoScalingGroupName(EmulatedEdge.gpuGroupName("eu-west-1", "g6.2xlarge"))
                    .desiredCapacity(3));
    now[0] = now[0].plusSeconds(10);
    edge.publish(now[0].minusSeconds(5), viewers, Map.of(), streams);
    Decision held = loop.tick();
    assertThat(held.ladders())
        .filteredOn(l -> l.region().equals("eu-west-1"))
        .singleElement()
        .extracting(LadderPlan::reason)
        .asString()
        .contains("held by arn:aws:")
        .contains("unheld: every stream on the full ladder");
    assertThat(store.read().ladders().get("eu-west-1").plan()).isEqualTo(forced);

    LiffeyJar.Result release =
        liffey("ladder", "release", "--region", "eu-west-1", "--reason", "A10Gs in", "--yes");
    assertThat(release.exit()).as(release.err()).isZero();
    now[0] = now[0].plusSeconds(10);
    edge.publish(now[0].minusSeconds(5), viewers, Map.of(), streams);
    loop.tick();
    LadderPlan restored = store.read().ladders().get("eu-west-1").plan();
    assertThat(restored.full()).as(restored.reason()).isTrue();
    assertThat(restored.forced()).isEmpty();
    assertThat(liffey("ladder", "release", "--region", "eu-west-1", "--reason", "x", "--yes").err())
        .startsWith("liffey: nothing to release: no ladder order on eu-west-1");
  }
}
