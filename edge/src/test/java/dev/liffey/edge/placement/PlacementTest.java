package dev.liffey.edge.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a new stream goes: a transcoder with room, the most preferred GPU type first. */
class PlacementTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
  private static final List<String> PREFERRED = List.of("g6.2xlarge", "g5.2xlarge", "g4dn.2xlarge");
  private final InMemoryRegistry registry = new InMemoryRegistry();
  private final Placement placement =
      new Placement(registry, "i-self", PREFERRED, Clock.fixed(NOW, ZoneOffset.UTC));

  private static TranscoderEntry entry(String id, String type, int room, boolean draining) {
    return new TranscoderEntry(
        id,
        URI.create("http://" + id + ":7090"),
        type,
        3,
        room,
        draining,
        NOW.minusSeconds(5),
        NOW.plusSeconds(25));
  }

  private Optional<String> best(Set<String> exclude) {
    return placement.best(registry.entries(), exclude).map(TranscoderEntry::id);
  }

  @Test
  void thePreferredGpuTypeWinsOverMoreRoom_andRoomDecidesWithinAType() {
    registry.announce(entry("i-t4", "g4dn.2xlarge", 9, false));
    registry.announce(entry("i-a10g", "g5.2xlarge", 8, false));
    registry.announce(entry("i-l4-busy", "g6.2xlarge", 1, false));
    registry.announce(entry("i-l4", "g6.2xlarge", 4, false));
    assertThat(best(Set.of())).contains("i-l4");
    assertThat(best(Set.of("i-l4"))).contains("i-l4-busy");
    assertThat(best(Set.of("i-l4", "i-l4-busy"))).contains("i-a10g");
  }

  @Test
  void fullDrainingExpiredAndSelfAreNeverChosen() {
    registry.announce(entry("i-full", "g6.2xlarge", 0, false));
    registry.announce(entry("i-draining", "g6.2xlarge", 9, true));
    registry.announce(
        new TranscoderEntry(
            "i-gone",
            URI.create("http://i-gone:7090"),
            "g6.2xlarge",
            0,
            9,
            false,
            NOW.minusSeconds(60),
            NOW.minusSeconds(1)));
    registry.announce(entry("i-self", "g6.2xlarge", 9, false));
    assertThat(best(Set.of())).isEmpty();
    registry.announce(entry("i-unlisted-type", "p4d.24xlarge", 1, false));
    assertThat(best(Set.of()))
        .as("a type nobody listed still takes streams")
        .contains("i-unlisted-type");
  }

  @Test
  void aStreamGoesElsewhereOnlyForABetterTypeWhileThisOneHasRoom() {
    registry.announce(entry("i-a10g", "g5.2xlarge", 8, false));
    assertThat(placement.instead("g6.2xlarge", true)).as("an L4 with room keeps it").isEmpty();
    assertThat(placement.instead("g4dn.2xlarge", true).map(TranscoderEntry::id)).contains("i-a10g");
    assertThat(placement.instead("g5.2xlarge", true)).as("the same type: no bounce").isEmpty();
    assertThat(placement.instead("g6.2xlarge", false).map(TranscoderEntry::id))
        .as("full or draining: any that takes it")
        .contains("i-a10g");
  }

  @Test
  void anUnreadableRegistryPlacesTheStreamHere() {
    registry.announce(entry("i-l4", "g6.2xlarge", 8, false));
    registry.failing = true;
    assertThat(placement.instead("g4dn.2xlarge", true)).isEmpty();
    assertThat(placement.instead("g4dn.2xlarge", false)).isEmpty();
  }
}
