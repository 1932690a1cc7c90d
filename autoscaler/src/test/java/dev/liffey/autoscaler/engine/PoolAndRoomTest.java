package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import org.junit.jupiter.api.Test;

/**
 * A relay group resumes its warm pool before it launches anything, and service replicas fill their
 * nodes' room before they wait for a node. So the pool (the room) stands in for cold launches (new
 * nodes) only while the next seconds' need leaves it there: once that need takes it whole, what a
 * cold boot (a node's arrival) ahead needs is asked for now, as if there were none.
 */
class PoolAndRoomTest {
  private static final String LONDON = "eu-west-2";
  private static final FleetId RELAY = FleetId.relay(LONDON);
  private static final FleetId CHAT = FleetId.service(LONDON, "chat");
  private static final FleetId WALLET = FleetId.service(LONDON, "wallet");
  private static final FleetId GAME = FleetId.service(LONDON, "game");

  /**
   * Britain's audience climbs {@code perSecond} viewers a second for two minutes from 20,000, on
   * London's {@code relays} relays with {@code warm} stopped, its services at {@code chat}, {@code
   * wallet} and {@code game} replicas; the last tick's decision.
   */
  private static Decision surge(
      double perSecond, int relays, int warm, int chat, int wallet, int game) {
    Observations obs = new Observations();
    obs.fleet(RELAY, relays, relays, warm);
    obs.fleet(CHAT, chat, chat, 0).fleet(WALLET, wallet, wallet, 0).fleet(GAME, game, game, 0);
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    Decision d = null;
    for (int i = 0; i <= 12; i++) {
      obs.at(Observations.T0.plusSeconds(10L * i));
      obs.viewers("GB", LONDON, 20_000 + perSecond * 10 * i);
      d = liffey.decide(obs.build());
    }
    return d;
  }

  private static FleetPlan plan(Decision d, FleetId id) {
    return Plans.of(d, id);
  }

  @Test
  void aPoolTheNextSecondsTakeWhole_standsInForNoColdLaunch() {
    // 300 viewers a second from 20,000 to 56,000: a warm boot ahead (42 s) takes more than 30
    // relays and their 8 stopped ones, so the pool is resumed now whatever is asked; a cold boot
    // ahead (105 s) needs about 19,000 viewers more, and those launches must go now.
    int withPool = plan(surge(300, 30, 8, 6, 3, 3), RELAY).target();
    int withoutPool = plan(surge(300, 30, 0, 6, 3, 3), RELAY).target();
    assertThat(withPool).isEqualTo(withoutPool);

    // A pool the next seconds leave standing is resumed later, for what a cold boot ahead needs:
    // no cold launch for that part yet.
    int withDeepPool = plan(surge(300, 30, 40, 6, 3, 3), RELAY).target();
    assertThat(withDeepPool).isLessThan(withoutPool);
  }

  @Test
  void roomTheNextSecondsTakeWhole_standsInForNoNewNode() {
    // 13 replicas on four 4-replica nodes leave room for 3; 300 viewers a second take chat (3,600
    // viewers a replica at 0.9) past that within its start (30 s), and 18,000 more within a node's
    // arrival: its replicas that need a node are asked for now, as when the nodes are full.
    int withRoom = plan(surge(300, 100, 10, 6, 3, 4), CHAT).target();
    int full = plan(surge(300, 100, 10, 6, 3, 3), CHAT).target();
    assertThat(withRoom).isEqualTo(full);
  }
}
