package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.core.config.EdgeConfig;
import org.junit.jupiter.api.Test;

/**
 * A surge reaches the relays in their warm boot (32 s in Dublin), while a service replica that
 * needs a new node takes the node's start and its own (75 s for game): Liffey's relays admit the
 * crowd before its services can serve it. {@code roomForRelayWarmPool} buys the replicas for what
 * the pool can admit, and pays for them.
 */
class ServiceRoomForRelayPoolTest {
  private static final EdgeConfig DEFAULT = TestConfigs.repository();
  private static final EdgeConfig WITH_ROOM =
      TestConfigs.variant(
          "          priority: ", "          roomForRelayWarmPool: true\n          priority: ");

  private static Scorecard liffey(EdgeConfig config, String family, long seed) throws Exception {
    return FamilySeeds.score(config, family, seed, "liffey");
  }

  @Test
  void withRoomForThePool_theServicesServeTheCrowdTheRelaysAdmit_atACost() throws Exception {
    // Ireland from ~140 to ~13,600 viewers in two minutes.
    Scorecard without = liffey(DEFAULT, "viral-spike", 1);
    Scorecard with = liffey(WITH_ROOM, "viral-spike", 1);

    assertThat(without.unservedServiceViewerSeconds())
        .as("the services a node behind the relays")
        .isGreaterThan(50_000);
    assertThat(with.unservedServiceViewerSeconds())
        .as("replicas already there for the pool's viewers")
        .isLessThan(without.unservedServiceViewerSeconds() / 10);
    assertThat(with.unservedViewerSeconds()).isEqualTo(without.unservedViewerSeconds());
    assertThat(with.costUsd()).as("the room is paid for").isGreaterThan(without.costUsd());
  }
}
