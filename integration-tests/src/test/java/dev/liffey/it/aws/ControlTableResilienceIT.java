package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.control.ReplicatedControlStore;
import dev.liffey.autoscaler.engine.Actuation;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.FencedOut;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.it.emulator.EmulatorTest;
import dev.liffey.it.emulator.FaultProxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The control table as the daemon relies on it: malformed rows, fencing tokens, the replica region.
 */
class ControlTableResilienceIT extends EmulatorTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");

  private DynamoDbControlStore table(AwsClients through, String region) {
    DynamoDbControlStore store =
        new DynamoDbControlStore("liffey-control", through.dynamoDb(region));
    store.createTableIfMissing();
    return store;
  }

  private static AttributeValue s(String v) {
    return AttributeValue.builder().s(v).build();
  }

  private static AttributeValue n(long v) {
    return AttributeValue.builder().n(Long.toString(v)).build();
  }

  @Test
  void aMalformedRowIsSkippedAndNamed_andTheRestIsHonoured() {
    DynamoDbControlStore store = table(aws, "eu-west-1");
    store.put(
        new ControlState.CapacityFloor(
            "eu-west-2", "relay", 20, NOW.plusSeconds(600), "final", "alice"),
        0);
    var ddb = aws.dynamoDb("eu-west-1");
    ddb.putItem(
        b ->
            b.tableName("liffey-control")
                .item(
                    Map.of(
                        "pk",
                        s("control"),
                        "sk",
                        s("floor#eu-west-1"),
                        "capacity",
                        n(40),
                        "until",
                        s(NOW.plusSeconds(600).toString()))));
    ddb.putItem(
        b ->
            b.tableName("liffey-control")
                .item(
                    Map.of(
                        "pk",
                        s("control"),
                        "sk",
                        s("override#eu-west-1#relay"),
                        "capacity",
                        n(40),
                        "until",
                        s("tomorrow"))));

    ControlState state = store.read();

    assertThat(state.floors())
        .singleElement()
        .satisfies(f -> assertThat(f.region()).isEqualTo("eu-west-2"));
    assertThat(state.overrides()).isEmpty();
    assertThat(state.problems())
        .containsExactlyInAnyOrder(
            "control row floor#eu-west-1 skipped: its key 'eu-west-1' should have 2 parts separated by '#'",
            "control row override#eu-west-1#relay skipped: attribute 'until' is 'tomorrow', not an ISO-8601 instant");
  }

  @Test
  void aDeposedLeadersAuditAndActionRecordsAreRefusedByTheTable_notByHope() {
    DynamoDbControlStore store = table(aws, "eu-west-1");
    List<Actuation> nine = List.of(new Actuation(DUBLIN, 4, 9, 2, 2));
    store.audit(
        new AuditRecord(NOW, "liffey-autoscaler (liffey)", "scale", "old leader", "4", "9", 5));
    store.recordActions(NOW, nine, 5);

    // A new leader (token 6) writes; the old one (token 5) wakes up late.
    store.audit(
        new AuditRecord(
            NOW.plusSeconds(1), "liffey-autoscaler (liffey)", "scale", "new leader", "9", "12", 6));

    assertThatThrownBy(
            () ->
                store.audit(
                    new AuditRecord(
                        NOW.plusSeconds(2),
                        "liffey-autoscaler (liffey)",
                        "scale",
                        "late",
                        "9",
                        "3",
                        5)))
        .isInstanceOf(FencedOut.class)
        .hasMessageContaining("fencing token 5 is older");
    assertThatThrownBy(
            () ->
                store.recordActions(
                    NOW.plusSeconds(2), List.of(new Actuation(DUBLIN, 9, 3, 2, 2)), 5))
        .isInstanceOf(FencedOut.class);
    assertThat(store.read().lastActions().get(DUBLIN).to()).isEqualTo(9);
    assertThat(store.history(NOW.minusSeconds(60), NOW.plusSeconds(60)))
        .extracting(AuditRecord::why, AuditRecord::fencingToken)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("old leader", 5L),
            org.assertj.core.groups.Tuple.tuple("new leader", 6L));
    // The fence row is not something on-call said: nothing is reported about it.
    assertThat(store.read().problems()).isEmpty();
  }

  @Test
  void withThePrimaryRegionDown_theReplicaIsReadAndWritten_andTheReadSaysSo() throws Exception {
    DynamoDbControlStore replica = table(aws, "eu-west-2");
    table(aws, "eu-west-1");
    replica.put(
        new ControlState.CapacityFloor(
            "eu-west-1", "relay", 40, NOW.plusSeconds(600), "final", "alice"),
        0);
    // Every DynamoDB call signed for eu-west-1 fails; eu-west-2 answers.
    try (FaultProxy proxy =
            new FaultProxy(
                emulator.endpoint(), (i, auth) -> auth.contains("/eu-west-1/dynamodb/") ? 503 : 0);
        AwsClients faulty = new AwsClients(Optional.of(proxy.endpoint()))) {
      ReplicatedControlStore store = ReplicatedControlStore.of(config, faulty);

      ControlState state = store.read();
      store.audit(
          new AuditRecord(
              NOW, "liffey-autoscaler (liffey)", "scale", "during the outage", "4", "9", 1));

      assertThat(state.floorFor(DUBLIN, NOW))
          .get()
          .satisfies(f -> assertThat(f.capacity()).isEqualTo(40));
      assertThat(state.problems())
          .singleElement()
          .asString()
          .startsWith("control table: cannot read in eu-west-1 (")
          .endsWith("; read from its replica in eu-west-2");
      assertThat(replica.history(NOW.minusSeconds(1), NOW.plusSeconds(1)))
          .extracting(AuditRecord::why)
          .containsExactly("during the outage");
    }
  }
}
