package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.control.ConcurrentChangeException;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.it.emulator.EmulatorTest;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DynamoDbControlStoreIT extends EmulatorTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");

  private DynamoDbControlStore store() {
    DynamoDbControlStore store = new DynamoDbControlStore("liffey-control", aws.dynamoDb("eu-west-1"));
    store.createTableIfMissing();
    return store;
  }

  @Test
  void createsTheTableOnce_withTheCdkSchema() {
    DynamoDbControlStore store = new DynamoDbControlStore("liffey-control", aws.dynamoDb("eu-west-1"));

    assertThat(store.createTableIfMissing()).isTrue();
    assertThat(store.createTableIfMissing()).isFalse();
    var table = aws.dynamoDb("eu-west-1").describeTable(b -> b.tableName("liffey-control")).table();
    assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
        .containsExactly("pk:HASH", "sk:RANGE");
  }

  @Test
  void floorsFreezesAndPinsWrittenByOnCallAreReadByTheAutoscaler() {
    DynamoDbControlStore store = store();
    store.putFloor(new ControlState.CapacityFloor("eu-west-1", "relay", 40, NOW.plusSeconds(3600), "final at 20:00",
        "alice"), 0);
    store.putFreeze(new ControlState.Freeze(Optional.of("eu-central-1"), Optional.empty(), "bot flood", "bob"), 0);
    store.putPin(new ControlState.RoutePin("IE", "eu-west-2", 100, NOW.plusSeconds(1800), "Dublin maintenance",
        "carol"), 0);

    ControlState state = store.read();

    assertThat(state.floorFor(FleetId.relay("eu-west-1"), NOW)).get()
        .satisfies(f -> assertThat(f.capacity()).isEqualTo(40));
    assertThat(state.freezeFor(FleetId.relay("eu-central-1"))).get()
        .satisfies(f -> assertThat(f.who()).isEqualTo("bob"));
    assertThat(state.freezeFor(FleetId.relay("eu-west-1"))).isEmpty();
    assertThat(state.pinFor("IE", NOW)).get().satisfies(p -> assertThat(p.percent()).isEqualTo(100));

    store.removeFreeze(Optional.of("eu-central-1"), Optional.empty());
    assertThat(store.read().freezes()).isEmpty();
  }

  @Test
  void housekeepingRemovesExpiredFloorsAndPins_andKeepsTheRest() {
    DynamoDbControlStore store = store();
    store.putFloor(new ControlState.CapacityFloor("eu-west-1", "relay", 40, NOW.minusSeconds(60), "over", "a"), 0);
    store.putFloor(new ControlState.CapacityFloor("eu-west-2", "relay", 20, NOW.plusSeconds(600), "on", "a"), 0);
    store.putPin(new ControlState.RoutePin("IE", "eu-west-2", 100, NOW.minusSeconds(1), "over", "c"), 0);

    assertThat(store.removeExpired(NOW)).isEqualTo(2);
    assertThat(store.read().floors()).singleElement().satisfies(f -> assertThat(f.region()).isEqualTo("eu-west-2"));
    assertThat(store.read().pins()).isEmpty();
  }

  @Test
  void twoWritersCannotLoseEachOthersChanges() {
    DynamoDbControlStore store = store();
    var floor = new ControlState.CapacityFloor("eu-west-1", "relay", 40, NOW.plusSeconds(3600), "final", "alice");
    long v1 = store.putFloor(floor, 0);

    // Both read version 1; the first write wins, the second is told to re-read.
    store.putFloor(new ControlState.CapacityFloor("eu-west-1", "relay", 60, NOW.plusSeconds(3600), "bigger", "bob"), v1);
    assertThatThrownBy(() -> store.putFloor(floor, v1))
        .isInstanceOf(ConcurrentChangeException.class)
        .hasMessage("floor eu-west-1#relay was changed by someone else since version 1; read it again and retry");
    assertThatThrownBy(() -> store.putFloor(floor, 0)).isInstanceOf(ConcurrentChangeException.class);
    assertThat(store.read().floors()).singleElement().satisfies(f -> assertThat(f.capacity()).isEqualTo(60));
    assertThat(store.version("floor", "eu-west-1#relay")).isEqualTo(2);
  }

  @Test
  void theAuditLogKeepsEveryRecord_whoWhatWhyWhenBeforeAfter_acrossDays() {
    DynamoDbControlStore store = store();
    Instant late = Instant.parse("2026-12-01T23:59:59Z");
    store.audit(new AuditRecord(late, "liffey-autoscaler (liffey)", "scale", "scale out relay eu-west-1 4→9: forecast",
        "relay eu-west-1=4", "relay eu-west-1=9"));
    store.audit(new AuditRecord(late, "liffey-autoscaler (liffey)", "scale", "same instant, second record", "a", "b"));
    store.audit(new AuditRecord(late.plusSeconds(2), "arn:aws:iam::123456789012:user/alice", "prewarm", "final", "4", "40"));

    var history = store.history(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T01:00:00Z"));

    assertThat(history).hasSize(3);
    assertThat(history.get(2).who()).isEqualTo("arn:aws:iam::123456789012:user/alice");
    assertThat(history.get(0).before()).isEqualTo("relay eu-west-1=4");
    assertThat(store.history(Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-02T01:00:00Z"))).hasSize(1);
  }
}
