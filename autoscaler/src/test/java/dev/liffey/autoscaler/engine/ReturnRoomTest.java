package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.Plans;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import org.junit.jupiter.api.Test;

/**
 * An audience that left a level it held (half-time, a channel switch) may come back as fast as it
 * left. London's relays would resume from their warm pool in 32 s and admit it; a chat replica
 * asked for when it shows waits for a node and its start, 90 s. So the services keep room for what
 * could come back within that, as far as the relays could admit it.
 */
class ReturnRoomTest {
  private static final String LONDON = "eu-west-2";
  private static final FleetId RELAY = FleetId.relay(LONDON);
  private static final FleetId CHAT = FleetId.service(LONDON, "chat");

  /**
   * Britain's audience at 40,000 for 20 minutes, down to 5,000 over {@code fallSeconds}, then five
   * minutes at 5,000; London has 4 relays in service and {@code warm} stopped, and 2 chat replicas.
   * The last tick's chat plan.
   */
  private static FleetPlan chatAfterFall(int fallSeconds, int warm) {
    Observations obs = new Observations();
    obs.fleet(RELAY, 4, 4, warm).fleet(CHAT, 2, 2, 0);
    LiffeyPolicy liffey = new LiffeyPolicy(obs.config);
    Decision d = null;
    int t = 0;
    for (; t < 1_200; t += 10) {
      d = tick(liffey, obs, t, 40_000);
    }
    for (int s = 10; s <= fallSeconds; s += 10, t += 10) {
      d = tick(liffey, obs, t, 40_000 - 35_000.0 * s / fallSeconds);
    }
    for (int s = 0; s < 300; s += 10, t += 10) {
      d = tick(liffey, obs, t, 5_000);
    }
    return Plans.of(d, CHAT);
  }

  private static Decision tick(LiffeyPolicy liffey, Observations obs, int t, double viewers) {
    obs.at(Observations.T0.plusSeconds(t));
    obs.viewers("GB", LONDON, viewers);
    return liffey.decide(obs.build());
  }

  @Test
  void anAudienceGoneInAMinute_findsChatReadyForItsReturn() {
    FleetPlan chat = chatAfterFall(60, 30);

    // 35,000 left within a minute; within 90 s as many could be back, and the relays' 4 in service
    // and 30 stopped hold 51,000: chat keeps 4,000-viewer replicas for 40,000.
    assertThat(chat.target()).isEqualTo(10);
    assertThat(chat.reason()).contains("room for GB back from 5,000 to the 40,000 it held");
  }

  @Test
  void theRoomIsNoMoreThanTheRelaysCouldAdmit() {
    // With 10 stopped relays, London's could hold 21,000 viewers before a node arrives.
    assertThat(chatAfterFall(60, 10).target()).isEqualTo(6);
  }

  @Test
  void anAudienceThatFadedOverHalfAnHour_keepsNoRoomForAReturnWithinAMinute() {
    // 35,000 over 30 minutes is 19 a second: 1,750 in 90 s, beside the 5,000 watching.
    FleetPlan chat = chatAfterFall(1_800, 30);

    assertThat(chat.target()).isEqualTo(2);
    assertThat(chat.reason()).doesNotContain("room for GB back");
  }
}
