package dev.liffey.edge.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A relay near its limits gives softer pictures, a tenth of its viewers a tick, and gives back. */
class HeadroomTest {
  private Instant now = Instant.parse("2026-12-01T20:00:00Z");
  private Headroom.Load load = new Headroom.Load(0.5, OptionalDouble.empty());
  private final List<String> moves = new ArrayList<>();
  private int watching = 35;

  private final Headroom.Renditions renditions =
      new Headroom.Renditions() {
        @Override
        public int watchingCount() {
          return watching;
        }

        @Override
        public int stepDown(int max) {
          moves.add("down " + max);
          return max;
        }

        @Override
        public int stepUp(int max) {
          moves.add("up " + max);
          return max;
        }
      };

  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };

  private final Headroom headroom =
      new Headroom(() -> load, 0.85, OptionalDouble.of(1e9), renditions, clock);

  private void tick(Duration after) {
    now = now.plus(after);
    headroom.tick();
  }

  @Test
  void aboveEitherLimitATenthOfTheViewersGoDown_everyTick() {
    load = new Headroom.Load(0.9, OptionalDouble.of(2e8));
    tick(Duration.ofSeconds(3));
    tick(Duration.ofSeconds(3));
    assertThat(moves).containsExactly("down 4", "down 4");

    moves.clear();
    load = new Headroom.Load(0.3, OptionalDouble.of(1.2e9)); // egress above 1 Gb/s
    tick(Duration.ofSeconds(3));
    assertThat(moves).containsExactly("down 4");

    moves.clear();
    watching = 3;
    tick(Duration.ofSeconds(3));
    assertThat(moves).as("at least one").containsExactly("down 1");
  }

  @Test
  void viewersGoBackUpOnlyAfterThirtyCalmSeconds_andTheBandBetweenHolds() {
    load = new Headroom.Load(0.95, OptionalDouble.empty());
    tick(Duration.ofSeconds(3));
    moves.clear();

    load = new Headroom.Load(0.7, OptionalDouble.empty()); // 82% of the limit: held
    for (int i = 0; i < 20; i++) {
      tick(Duration.ofSeconds(3));
    }
    assertThat(moves).isEmpty();

    load = new Headroom.Load(0.4, OptionalDouble.empty()); // 47%: calm
    tick(Duration.ofSeconds(3));
    tick(Duration.ofSeconds(27));
    assertThat(moves).isEmpty();
    tick(Duration.ofSeconds(3));
    assertThat(moves).containsExactly("up 4");

    load = new Headroom.Load(0.65, OptionalDouble.empty()); // back in the band: calm starts over
    tick(Duration.ofSeconds(3));
    load = new Headroom.Load(0.4, OptionalDouble.empty());
    tick(Duration.ofSeconds(3));
    tick(Duration.ofSeconds(3));
    assertThat(moves).containsExactly("up 4");
  }

  @Test
  void anUnknownEgressIsJudgedOnCpuAlone() {
    assertThat(headroom.pressure(new Headroom.Load(0.425, OptionalDouble.empty()))).isEqualTo(0.5);
    assertThat(headroom.pressure(new Headroom.Load(0.425, OptionalDouble.of(9e8)))).isEqualTo(0.9);
  }

  @Test
  void egressIsWhatEveryInterfaceButLoopbackSent() {
    List<String> netDev =
        List.of(
            "Inter-|   Receive                                                |  Transmit",
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets"
                + " errs drop fifo colls carrier compressed",
            "    lo: 9000000   100    0    0    0     0          0         0  9000000     100    0"
                + "    0    0     0       0          0",
            "  ens5: 5000 40 0 0 0 0 0 0 125000000 90000 0 0 0 0 0 0",
            "  ens6: 1 1 0 0 0 0 0 0 25000000 10 0 0 0 0 0 0");
    assertThat(HostLoad.sentBytes(netDev)).isEqualTo(150_000_000L);
  }
}
