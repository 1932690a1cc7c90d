package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import org.junit.jupiter.api.Test;

/**
 * A service's replica starts in its startup time where its cluster's nodes have room, and only
 * after a new node's arrival where they have none: the planner looks that much further ahead.
 */
class ServiceNodesTest {
  private static final String LONDON = "eu-west-2";
  private static final FleetId CHAT = FleetId.service(LONDON, "chat");
  private static final FleetId WALLET = FleetId.service(LONDON, "wallet");
  private static final FleetId GAME = FleetId.service(LONDON, "game");

  /**
   * London's audience grows 100 viewers a second for five minutes while its services run {@code
   * chat}, {@code wallet} and {@code game} replicas; the last tick's chat plan.
   */
  private FleetPlan chatPlan(int chat, int wallet, int game) {
    Observations obs = new Observations();
    obs.fleet(CHAT, chat, chat, 0).fleet(WALLET, wallet, wallet, 0).fleet(GAME, game, game, 0);
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    Decision d = null;
    for (int i = 0; i <= 30; i++) {
      obs.at(Observations.T0.plusSeconds(10L * i));
      obs.viewers("GB", LONDON, 20_000 + 1_000.0 * i);
      d = liffey.decide(obs.build());
    }
    return Plans.of(d, CHAT);
  }

  @Test
  void withItsNodesFull_aServiceIsPlannedANodesArrivalAhead() {
    // 20 replicas fill five 4-replica nodes: chat's next replica waits 60 s for a node, then its
    // 20 s start.
    FleetPlan full = chatPlan(13, 3, 4);
    assertThat(full.reason()).contains("at t+90s").contains("the nodes full: a new node first");

    // 21 replicas leave room for three on their sixth node, more than chat's growth over the next
    // 30 s: that growth starts in 20 s, and the room is still there for what comes after it.
    FleetPlan room = chatPlan(13, 3, 5);
    assertThat(room.reason()).contains("at t+30s").doesNotContain("new node");

    // Looking a minute further up a rising audience asks for more chat, now.
    assertThat(full.target()).isGreaterThan(room.target());
  }
}
