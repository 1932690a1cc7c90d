package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.Key;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.ops.ConcurrentChangeException;
import dev.liffey.autoscaler.ops.Write;
import dev.liffey.core.media.Ladder;
import dev.liffey.it.emulator.EmulatorTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbControlStoreIT extends EmulatorTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");

  private DynamoDbControlStore store() {
    DynamoDbControlStore store =
        new DynamoDbControlStore("liffey-control", aws.dynamoDb("eu-west-1"));
    store.createTableIfMissing();
    return store;
  }

  @Test
  void createsTheTableOnce_withTheCdkSchema() {
    DynamoDbControlStore store =
        new DynamoDbControlStore("liffey-control", aws.dynamoDb("eu-west-1"));

    assertThat(store.createTableIfMissing()).isTrue();
    assertThat(store.createTableIfMissing()).isFalse();
    var table = aws.dynamoDb("eu-west-1").describeTable(b -> b.tableName("liffey-control")).table();
    assertThat(table.keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
        .containsExactly("pk:HASH", "sk:RANGE");
  }

  @Test
  void floorsFreezesAndPinsWrittenByOnCallAreReadByTheAutoscaler() {
    DynamoDbControlStore store = store();
    store.put(
        new ControlState.CapacityFloor(
            "eu-west-1", "relay", 40, NOW.plusSeconds(3600), "final at 20:00", "alice"),
        0);
    store.put(
        new ControlState.Freeze(
            Optional.of("eu-central-1"),
            Optional.empty(),
            NOW.plusSeconds(600),
            "bot flood",
            "bob"),
        0);
    store.put(
        new ControlState.RoutePin(
            "IE", "eu-west-2", 100, NOW.plusSeconds(1800), "Dublin maintenance", "carol"),
        0);

    ControlState state = store.read();

    assertThat(state.floorFor(FleetId.relay("eu-west-1"), NOW))
        .get()
        .satisfies(f -> assertThat(f.capacity()).isEqualTo(40));
    assertThat(state.freezeFor(FleetId.relay("eu-central-1"), NOW))
        .get()
        .satisfies(f -> assertThat(f.who()).isEqualTo("bob"));
    assertThat(state.freezeFor(FleetId.relay("eu-central-1"), NOW.plusSeconds(600))).isEmpty();
    assertThat(state.freezeFor(FleetId.relay("eu-west-1"), NOW)).isEmpty();
    assertThat(state.pinFor("IE", NOW))
        .get()
        .satisfies(p -> assertThat(p.percent()).isEqualTo(100));

    Key freeze = ControlState.Key.freeze(Optional.of("eu-central-1"), Optional.empty());
    store.commit(
        new AuditRecord(NOW, "bob", "unfreeze", "flood over", "", ""),
        List.of(Write.remove(freeze, state.version(freeze))));
    assertThat(store.read().freezes()).isEmpty();
  }

  @Test
  void ladderPlansAndOrdersAreReadBackAsWritten_andAnOrderExpiresLikeAFreeze() {
    DynamoDbControlStore store = store();
    LadderPlan shortened =
        new LadderPlan(
            "eu-west-1",
            35,
            Map.of(Ladder.FULL, 26, Ladder.FROM_720, 9),
            0,
            29.5,
            true,
            "ladders eu-west-1: 26 on 1080/720/480/360, 9 on 720/480/360");
    LadderPlan forced =
        new LadderPlan(
            "eu-west-2",
            12,
            Map.of(Ladder.FROM_480, 12),
            0,
            3,
            true,
            "ladders eu-west-2: every stream on 480/360, forced",
            Optional.of(Ladder.FROM_480));
    store.recordLadders(NOW, List.of(shortened, forced), 0);
    store.put(
        new ControlState.LadderOrder(
            "eu-west-2", Optional.of(Ladder.FROM_480), NOW.plusSeconds(600), "surge", "dave"),
        0);
    store.put(
        new ControlState.LadderOrder(
            "eu-west-1", Optional.empty(), NOW.minusSeconds(1), "encoder trial", "erin"),
        0);

    ControlState state = store.read();

    assertThat(state.problems()).isEmpty();
    assertThat(state.ladders().get("eu-west-1").since()).isEqualTo(NOW);
    assertThat(state.ladders().get("eu-west-1").plan())
        .isEqualTo(
            new LadderPlan(
                "eu-west-1", 35, shortened.byLadder(), 0, 29.5, false, shortened.reason()));
    assertThat(state.ladders().get("eu-west-2").plan().forced()).contains(Ladder.FROM_480);
    assertThat(state.ladderOrderFor("eu-west-2", NOW))
        .get()
        .satisfies(o -> assertThat(o.forced()).contains(Ladder.FROM_480));
    assertThat(state.ladderOrderFor("eu-west-1", NOW)).as("ended a second ago").isEmpty();

    assertThat(store.removeExpired(NOW)).isEqualTo(1);
    assertThat(store.read().ladderOrders())
        .extracting(ControlState.LadderOrder::region)
        .containsExactly("eu-west-2");
    assertThat(store.read().ladders()).as("plans stay in force").hasSize(2);
  }

  @Test
  void aLadderPlanRowNoVersionCanRead_isNamedAndSkipped_andTheRestIsRead() {
    DynamoDbControlStore store = store();
    store.recordLadders(
        NOW,
        List.of(new LadderPlan("eu-west-1", 5, Map.of(Ladder.FULL, 5), 0, 10, true, "full")),
        0);
    aws.dynamoDb("eu-west-1")
        .putItem(
            b ->
                b.tableName("liffey-control")
                    .item(
                        Map.of(
                            "pk", AttributeValue.builder().s("control").build(),
                            "sk", AttributeValue.builder().s("ladderplan#eu-west-2").build(),
                            "at", AttributeValue.builder().s(NOW.toString()).build(),
                            "streams", AttributeValue.builder().n("3").build())));

    ControlState state = store.read();

    assertThat(state.problems())
        .containsExactly(
            "control row ladderplan#eu-west-2 skipped: no map attribute 'streamsByLadder'");
    assertThat(state.ladders()).containsOnlyKeys("eu-west-1");
  }

  @Test
  void housekeepingRemovesExpiredFloorsAndPins_andKeepsTheRest() {
    DynamoDbControlStore store = store();
    store.put(
        new ControlState.CapacityFloor("eu-west-1", "relay", 40, NOW.minusSeconds(60), "over", "a"),
        0);
    store.put(
        new ControlState.CapacityFloor("eu-west-2", "relay", 20, NOW.plusSeconds(600), "on", "a"),
        0);
    store.put(
        new ControlState.RoutePin("IE", "eu-west-2", 100, NOW.minusSeconds(1), "over", "c"), 0);
    store.put(
        new ControlState.Freeze(
            Optional.empty(), Optional.empty(), NOW.minusSeconds(5), "over", "d"),
        0);

    assertThat(store.removeExpired(NOW)).isEqualTo(3);
    assertThat(store.read().floors())
        .singleElement()
        .satisfies(f -> assertThat(f.region()).isEqualTo("eu-west-2"));
    assertThat(store.read().pins()).isEmpty();
    assertThat(store.read().freezes()).isEmpty();
  }

  @Test
  void housekeepingDeletesAnExpiredEntryOnlyAsItWasRead_neverOneExtendedMeanwhile() {
    DynamoDbControlStore store = store();
    var ended =
        new ControlState.CapacityOverride(
            "eu-west-1", "relay", 30, NOW.minusSeconds(60), "encore", "alice");
    store.put(ended, 0);
    // The hourly job's query saw it ended; alice extends it before the job's delete lands.
    DynamoDbControlStore extending =
        new DynamoDbControlStore(
            "liffey-control",
            new DelayedFirstDelete(
                aws.dynamoDb("eu-west-1"),
                () ->
                    store.put(
                        new ControlState.CapacityOverride(
                            "eu-west-1",
                            "relay",
                            30,
                            NOW.plusSeconds(3600),
                            "encore, extended",
                            "alice"),
                        1)));

    assertThat(extending.removeExpired(NOW)).isZero();
    assertThat(store.read().overrideFor(FleetId.relay("eu-west-1"), NOW))
        .get()
        .satisfies(o -> assertThat(o.reason()).isEqualTo("encore, extended"));
  }

  @Test
  void aChangeIsWrittenWithItsAuditRecord_allOrNothing_conditionalOnTheVersionsRead() {
    DynamoDbControlStore store = store();
    var floor =
        new ControlState.CapacityFloor(
            "eu-west-1", "relay", 40, NOW.plusSeconds(3600), "final", "alice");
    var pin =
        new ControlState.RoutePin("IE", "eu-west-2", 50, NOW.plusSeconds(3600), "split", "alice");
    store.commit(
        new AuditRecord(NOW, "alice", "prewarm", "final", "", ""), List.of(Write.put(floor, 0)));
    ControlState seen = store.read();
    assertThat(seen.version(floor.key())).isEqualTo(1);

    // Bob changes the floor; alice's change, decided on what she saw, writes neither its pin nor
    // its record.
    store.put(
        new ControlState.CapacityFloor(
            "eu-west-1", "relay", 60, NOW.plusSeconds(3600), "bigger", "bob"),
        1);
    assertThatThrownBy(
            () ->
                store.commit(
                    new AuditRecord(NOW.plusSeconds(1), "alice", "route", "split", "", ""),
                    List.of(
                        Write.put(pin, seen.version(pin.key())),
                        Write.remove(floor.key(), seen.version(floor.key())))))
        .isInstanceOf(ConcurrentChangeException.class)
        .satisfies(e -> assertThat(((ConcurrentChangeException) e).key()).isEqualTo(floor.key()));

    assertThat(store.read().pins()).isEmpty();
    assertThat(store.read().floors())
        .singleElement()
        .satisfies(f -> assertThat(f.capacity()).isEqualTo(60));
    assertThat(store.history(NOW.minusSeconds(1), NOW.plusSeconds(5)))
        .extracting(AuditRecord::what)
        .containsExactly("prewarm");
  }

  @Test
  void aKnownEventsFloorIsItsOwnEntry_besideOnCallsFloorOnTheSameFleet() {
    DynamoDbControlStore store = store();
    store.put(
        new ControlState.CapacityFloor(
            "eu-west-1", "relay", 60, NOW.plusSeconds(3600), "final", "alice"),
        0);
    store.put(
        new ControlState.CapacityFloor(
            "eu-west-1",
            "relay",
            50,
            NOW.plusSeconds(7200),
            "known event 'Cup'",
            "liffey-autoscaler (known events)",
            Optional.of("Cup")),
        0);

    ControlState state = store.read();

    assertThat(state.floors())
        .extracting(f -> f.key().toString())
        .containsExactlyInAnyOrder("floor#eu-west-1#relay", "floor#eu-west-1#relay#Cup");
    assertThat(state.floorFor(FleetId.relay("eu-west-1"), NOW))
        .get()
        .extracting(ControlState.CapacityFloor::capacity)
        .isEqualTo(60);
    assertThat(state.floorFor(FleetId.relay("eu-west-1"), NOW.plusSeconds(4000)))
        .get()
        .extracting(ControlState.CapacityFloor::capacity)
        .isEqualTo(50);
  }

  @Test
  void aFreezeWrittenBeforeFreezesHadAnEnd_holdsUntilItIsLifted() {
    DynamoDbControlStore store = store();
    aws.dynamoDb("eu-west-1")
        .putItem(
            b ->
                b.tableName("liffey-control")
                    .item(
                        Map.of(
                            "pk",
                            AttributeValue.fromS("control"),
                            "sk",
                            AttributeValue.fromS("freeze#eu-west-1#*"),
                            "reason",
                            AttributeValue.fromS("old"),
                            "who",
                            AttributeValue.fromS("bob"),
                            "version",
                            AttributeValue.fromN("1"))));

    assertThat(store.read().freezeFor(FleetId.relay("eu-west-1"), NOW.plusSeconds(86_400 * 365)))
        .isPresent();
  }

  @Test
  void twoWritersCannotLoseEachOthersChanges() {
    DynamoDbControlStore store = store();
    var floor =
        new ControlState.CapacityFloor(
            "eu-west-1", "relay", 40, NOW.plusSeconds(3600), "final", "alice");
    long v1 = store.put(floor, 0);

    // Both read version 1; the first write wins, the second is told to re-read.
    store.put(
        new ControlState.CapacityFloor(
            "eu-west-1", "relay", 60, NOW.plusSeconds(3600), "bigger", "bob"),
        v1);
    assertThatThrownBy(() -> store.put(floor, v1))
        .isInstanceOf(ConcurrentChangeException.class)
        .hasMessage(
            "floor#eu-west-1#relay was changed by someone else since version 1; read it again and retry");
    assertThatThrownBy(() -> store.put(floor, 0)).isInstanceOf(ConcurrentChangeException.class);
    assertThat(store.read().floors())
        .singleElement()
        .satisfies(f -> assertThat(f.capacity()).isEqualTo(60));
    assertThat(store.read().version(floor.key())).isEqualTo(2);
  }

  @Test
  void theAuditLogKeepsEveryRecord_whoWhatWhyWhenBeforeAfter_acrossDays() {
    DynamoDbControlStore store = store();
    Instant late = Instant.parse("2026-12-01T23:59:59Z");
    store.audit(
        new AuditRecord(
            late,
            "liffey-autoscaler (liffey)",
            "scale",
            "scale out relay eu-west-1 4→9: forecast",
            "relay eu-west-1=4",
            "relay eu-west-1=9"));
    store.audit(
        new AuditRecord(
            late, "liffey-autoscaler (liffey)", "scale", "same instant, second record", "a", "b"));
    store.audit(
        new AuditRecord(
            late.plusSeconds(2),
            "arn:aws:iam::123456789012:user/alice",
            "prewarm",
            "final",
            "4",
            "40"));

    var history =
        store.history(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T01:00:00Z"));

    assertThat(history).hasSize(3);
    assertThat(history.get(2).who()).isEqualTo("arn:aws:iam::123456789012:user/alice");
    assertThat(history.get(0).before()).isEqualTo("relay eu-west-1=4");
    assertThat(
            store.history(
                Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-02T01:00:00Z")))
        .hasSize(1);
  }
}
