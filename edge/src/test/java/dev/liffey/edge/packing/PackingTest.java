package dev.liffey.edge.packing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.edge.whep.JoinRouter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PackingTest {
  private static final Instant NOW = Instant.parse("2026-12-05T20:00:00Z");
  private final AtomicInteger own = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Packing packing =
      new Packing("i-b", 10, 120, own::get, draining::get, Clock.fixed(NOW, ZoneOffset.UTC));

  private static RelayEntry relay(String id, int viewers, boolean draining, int port) {
    return relay(id, viewers, OptionalDouble.empty(), draining, port);
  }

  private static RelayEntry relay(
      String id, int viewers, OptionalDouble latencyP95, boolean draining, int port) {
    return new RelayEntry(
        id,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        viewers,
        latencyP95,
        draining,
        NOW.minusSeconds(1),
        NOW.plusSeconds(5));
  }

  private String next() {
    return packing.passTo().map(JoinRouter.Peer::id).orElse("here");
  }

  @Test
  void aJoinGoesToTheFullestRelayBelowTheTarget_notToAnEmptyOne() {
    own.set(2);
    packing.known(
        List.of(
            relay("i-a", 7, false, 7081),
            relay("i-c", 0, false, 7083),
            relay("i-d", 10, false, 7084)));

    assertThat(packing.passTo())
        .get()
        .isEqualTo(
            new JoinRouter.Peer(
                "i-a", new InetSocketAddress(InetAddress.getLoopbackAddress(), 7081)));
  }

  @Test
  void joinsPassedCountUntilTheRelayAnnouncesAgain_soABurstFillsOneRelayThenTheNext() {
    own.set(0);
    packing.known(List.of(relay("i-a", 8, false, 7081), relay("i-c", 0, false, 7083)));

    List<String> went = new ArrayList<>();
    List<JoinRouter.Peer> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Optional<JoinRouter.Peer> to = packing.passTo();
      to.ifPresentOrElse(inFlight::add, own::incrementAndGet);
      went.add(to.map(JoinRouter.Peer::id).orElse("here"));
    }
    // i-a takes two more (8 -> 10), then the rest stay here: i-b and i-c tie at 0, and i-b's id
    // is the lower, which every relay agrees on.
    assertThat(went).containsExactly("i-a", "i-a", "here", "here");

    // Its entry from before they were taken does not count them: nothing more goes to it.
    inFlight.forEach(p -> packing.answered(p, 201));
    packing.known(List.of(relay("i-a", 8, false, 7081), relay("i-c", 0, false, 7083)));
    assertThat(next()).isEqualTo("here");
    // A relay that refused a viewer's token holds nobody more for it.
    packing.known(List.of(relay("i-a", 7, false, 7081), relay("i-c", 0, false, 7083)));
    // 7 + the two taken: one more fits below the target.
    JoinRouter.Peer refusedAt = packing.passTo().orElseThrow();
    packing.answered(refusedAt, 401);
    assertThat(next()).as("the refused join held no place").isEqualTo("i-a");

    // i-a announces 10 (the two taken are in it now): nothing more is passed to it.
    packing.known(
        List.of(
            new RelayEntry(
                "i-a",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 7081),
                10,
                OptionalDouble.empty(),
                false,
                NOW,
                NOW.plusSeconds(6)),
            relay("i-c", 0, false, 7083)));
    assertThat(next()).isEqualTo("here");
  }

  @Test
  void whenEveryRelayIsAtTheTarget_aJoinStaysWhereItArrived() {
    own.set(12);
    packing.known(List.of(relay("i-a", 10, false, 7081), relay("i-c", 11, false, 7083)));

    assertThat(next()).isEqualTo("here");
  }

  @Test
  void drainingAndLapsedRelaysGetNothing_andADrainingRelayPassesEveryJoin() {
    own.set(3);
    packing.known(
        List.of(
            relay("i-a", 9, true, 7081),
            new RelayEntry(
                "i-c",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 7083),
                9,
                OptionalDouble.empty(),
                false,
                NOW.minusSeconds(9),
                NOW.minusSeconds(3)),
            relay("i-d", 12, false, 7084),
            relay("i-e", 11, false, 7085)));
    assertThat(next()).as("i-a drains, i-c's entry lapsed, i-d and i-e are full").isEqualTo("here");

    draining.set(true);
    assertThat(next()).as("the emptiest that serves, once all are full").isEqualTo("i-e");
    packing.known(List.of(relay("i-d", 12, false, 7084), relay("i-e", 4, false, 7085)));
    assertThat(next()).isEqualTo("i-e");
    packing.known(List.of());
    assertThat(next()).as("nobody to pass to: the relay refuses as it drains").isEqualTo("here");
  }

  @Test
  void aRelayThatDidNotTakeAJoinGetsNoneUntilItAnnouncesAgain() {
    own.set(0);
    packing.known(List.of(relay("i-a", 5, false, 7081)));
    JoinRouter.Peer a = packing.passTo().orElseThrow();

    packing.answered(a, 0);
    assertThat(next()).isEqualTo("here");
    packing.known(List.of(relay("i-a", 5, false, 7081)));
    assertThat(next()).as("the same entry, written before it failed").isEqualTo("here");

    packing.known(
        List.of(
            new RelayEntry(
                "i-a",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 7081),
                5,
                OptionalDouble.empty(),
                false,
                NOW.plusMillis(1),
                NOW.plusSeconds(6))));
    assertThat(packing.passTo()).isEqualTo(Optional.of(a));
  }

  @Test
  void aPublicAddressInTheRegistryIsNeverPassedTo() {
    packing.known(
        List.of(
            new RelayEntry(
                "i-a",
                new InetSocketAddress("203.0.113.7", 7080),
                5,
                OptionalDouble.empty(),
                false,
                NOW,
                NOW.plusSeconds(6))));

    assertThat(next()).isEqualTo("here");
  }

  @Test
  void aRelayWhoseViewersAreAtTheLatencyBoundCountsAsFull_howeverFewItHolds_unlessEveryRelayIs() {
    own.set(1);
    packing.known(
        List.of(
            relay("i-a", 8, OptionalDouble.of(130), false, 7081),
            relay("i-c", 3, OptionalDouble.of(40), false, 7083)));
    assertThat(next()).as("i-a is fuller, but its viewers are slow").isEqualTo("i-c");

    // This relay's own viewers as it announced them: at the bound, it passes even the join it
    // could take.
    packing.known(
        List.of(
            relay("i-a", 8, OptionalDouble.of(130), false, 7081),
            relay("i-b", 1, OptionalDouble.of(120), false, 7082),
            relay("i-c", 3, OptionalDouble.of(40), false, 7083)));
    assertThat(next()).isEqualTo("i-c");

    // Every relay past the bound: the latency tells none apart (the region's network is slow, not
    // one relay's queue), so the count alone packs.
    packing.known(
        List.of(
            relay("i-a", 8, OptionalDouble.of(130), false, 7081),
            relay("i-b", 1, OptionalDouble.of(125), false, 7082),
            relay("i-c", 3, OptionalDouble.of(140), false, 7083)));
    assertThat(next()).isEqualTo("i-a");
  }

  @Test
  void aRelayTakesJoinsWhileFilledNoFurtherThanTheTarget_orOnceEveryRelayIsPastIt() {
    packing.known(List.of(relay("i-a", 10, false, 7081), relay("i-c", 4, false, 7083)));
    own.set(10);
    assertThat(packing.takesJoins()).as("at the target: where joins were packed").isTrue();
    own.set(14);
    assertThat(packing.takesJoins()).as("filled past it in a crowd while i-c has room").isFalse();

    packing.known(
        List.of(
            relay("i-a", 8, false, 7081),
            relay("i-b", 3, OptionalDouble.of(125), false, 7082),
            relay("i-c", 4, OptionalDouble.of(40), false, 7083)));
    own.set(3);
    assertThat(packing.takesJoins())
        .as("its viewers at the latency bound: it passes joins")
        .isFalse();

    packing.known(List.of(relay("i-a", 12, false, 7081), relay("i-c", 11, false, 7083)));
    own.set(14);
    assertThat(packing.takesJoins())
        .as("every relay past it: joins stay where they arrive")
        .isTrue();
    draining.set(true);
    assertThat(packing.takesJoins()).isFalse();
  }
}
