package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.core.config.EksCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Services' replicas on a region's nodes, as EKS Auto Mode gives them nodes. */
class SimClusterTest {
  private static final Instant T0 = Instant.parse("2026-12-01T18:00:00Z");
  // Four replicas a node, at most three nodes, a node Ready 60 s after a pod asks for it.
  private static final EksCluster EKS =
      new EksCluster("1.33", List.of("m7i.xlarge"), 1, 3, Duration.ofSeconds(60), 4, List.of());
  // chat: 20 s from scheduled to Ready.
  private static final FleetSpec CHAT =
      new FleetSpec(
          FleetId.service("eu-west-1", "chat"),
          4000,
          1,
          20,
          0,
          Duration.ofSeconds(80),
          Duration.ofSeconds(20),
          0.075,
          0,
          0);

  @Test
  void aReplicaFindingRoomStartsInItsStartup_oneFindingNoneWaitsForANodeFirst() {
    SimCluster nodes = new SimCluster(EKS);
    SimFleet chat = new SimFleet(CHAT, Duration.ZERO, 0, nodes);
    chat.startWith(3);
    nodes.startWith(3); // one node, room for one more

    chat.setCapacity(5, 0, T0);
    assertThat(nodes.nodes()).isEqualTo(2); // the fifth replica asked for a node

    chat.advance(T0.plusSeconds(20));
    assertThat(chat.inService()).isEqualTo(4); // the fourth, on the room that was there
    nodes.advance(T0.plusSeconds(60));
    chat.advance(T0.plusSeconds(60));
    assertThat(chat.inService()).isEqualTo(4); // the node is Ready; the replica still starting
    chat.advance(T0.plusSeconds(80));
    assertThat(chat.inService()).isEqualTo(5);
  }

  @Test
  void beyondTheNodeCeilingAReplicaStaysPending_untilAnotherGivesUpItsSlot() {
    SimCluster nodes = new SimCluster(EKS);
    SimFleet chat = new SimFleet(CHAT, Duration.ZERO, 0, nodes);
    SimFleet game = new SimFleet(CHAT, Duration.ZERO, 0, nodes);
    chat.startWith(8);
    game.startWith(4);
    nodes.startWith(12); // three full nodes: the ceiling

    chat.setCapacity(9, 0, T0);
    nodes.advance(T0.plusSeconds(600));
    chat.advance(T0.plusSeconds(600));
    assertThat(chat.inService()).isEqualTo(8);
    assertThat(chat.state().pending()).isEqualTo(1);
    assertThat(nodes.nodes()).isEqualTo(3);

    game.setCapacity(3, 0, T0.plusSeconds(600)); // a slot frees
    chat.advance(T0.plusSeconds(610)); // the pending replica is scheduled on it
    chat.advance(T0.plusSeconds(630));
    assertThat(chat.inService()).isEqualTo(9);
  }

  @Test
  void roomForAWholeNode_isConsolidatedAwayAfterFiveQuietMinutes() {
    SimCluster nodes = new SimCluster(EKS);
    SimFleet chat = new SimFleet(CHAT, Duration.ZERO, 0, nodes);
    chat.startWith(12);
    nodes.startWith(12);

    chat.setCapacity(7, 0, T0); // room for five: one node's worth spare
    nodes.advance(T0);
    assertThat(nodes.free()).isEqualTo(5);
    nodes.advance(T0.plus(EksCluster.CONSOLIDATE_AFTER).minusSeconds(10));
    assertThat(nodes.nodes()).isEqualTo(3);

    nodes.advance(T0.plus(EksCluster.CONSOLIDATE_AFTER));
    assertThat(nodes.nodes()).isEqualTo(2);
    assertThat(nodes.free()).isEqualTo(1);
  }
}
