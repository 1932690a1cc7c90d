package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Where the packing edge puts a relay group's viewers, relay by relay. */
class PackedLoadTest {
  private final PackedLoad relays = new PackedLoad(1_000);

  @Test
  void joinsFillTheFullestRelayBelowTheTarget_andTheRelaysBeyondStayEmpty() {
    relays.reset(4);
    relays.settle(2_000, 1, 900);
    assertThat(relays.perRelay()).containsExactly(0, 200, 900, 900);

    // A tenth leave every relay alike (810, 810, 180, 0); 300 join: the fullest below the target
    // first.
    relays.settle(2_100, 0.9, 900);
    assertThat(relays.perRelay()).containsExactly(0, 300, 900, 900);
  }

  @Test
  void theRelaysTakingJoinsAreThoseFilledNoFurtherThanTheTarget_orWithRoomOnceEveryOneIsPastIt() {
    // A crowd filled three relays to 980 (past the 900 target); two launched since, one filling.
    relays.reset(3);
    relays.settle(2_940, 1, 900);
    relays.added();
    relays.added();
    relays.settle(2_940 + 400, 1, 900);
    assertThat(relays.perRelay()).containsExactly(0, 400, 980, 980, 980);
    // Joins land on the filling relay, at 40% (the empty one holds nobody to measure).
    assertThat(relays.joinUtilization(900)).isCloseTo(0.4, within(1e-9));

    // Every relay past the target: joins spread over those with room.
    relays.reset(2);
    relays.settle(1_000, 1, 0); // 500 each
    relays.settle(1_900, 1, 400); // 950 each
    assertThat(relays.joinUtilization(400)).isCloseTo(0.95, within(1e-9));

    relays.settle(2_000, 1, 400);
    assertThat(relays.joinUtilization(400)).as("every relay full: none takes a join").isNaN();
    relays.reset(2);
    assertThat(relays.joinUtilization(900)).as("nobody on them to measure").isNaN();
  }

  @Test
  void withEveryRelayAtTheTarget_joinsSpreadEvenly_noneFilledPastFull() {
    relays.reset(3);
    relays.settle(2_700, 1, 900);
    relays.settle(3_000, 1, 900); // 300 more than the target: 100 on each
    assertThat(relays.perRelay()).containsExactly(1_000, 1_000, 1_000);

    relays.reset(3);
    relays.settle(1_800, 1, 900);
    // 1,050 more: the empty one to the target, then 50 each.
    relays.settle(2_850, 1, 900);
    assertThat(relays.perRelay()).containsExactly(950, 950, 950);

    relays.reset(2);
    relays.settle(1_000, 1, 0); // 500 each
    relays.settle(1_000 + 1_000, 1, 900); // nobody below 900 gets more than room allows
    assertThat(relays.perRelay()).containsExactly(1_000, 1_000);
  }

  @Test
  void aPackTargetOfNothing_spreadsEveryJoin_asAnEdgeWhoseRelaysAreAllTooSlowDoes() {
    relays.reset(4);
    relays.settle(2_000, 1, 0);
    assertThat(relays.perRelay()).containsExactly(500, 500, 500, 500);
  }

  @Test
  void aScaleInTakesTheEmptiestRelay_andANewRelayComesInEmpty() {
    relays.reset(3);
    relays.settle(1_100, 1, 900); // 0, 200, 900
    assertThat(relays.removeEmptiest()).isZero();
    assertThat(relays.removeEmptiest()).isCloseTo(200, within(1e-9));
    assertThat(relays.relays()).isEqualTo(1);

    relays.added();
    assertThat(relays.perRelay()).containsExactly(0, 900);
  }

  @Test
  void fewerViewersThanTheSessionsLeft_everyRelayLosesAlike() {
    relays.reset(2);
    relays.settle(1_200, 1, 900); // 300, 900
    relays.settle(600, 1, 900);
    assertThat(relays.perRelay()).containsExactly(150, 450);
  }

  @Test
  void theUtilizationOfTheRelayTheAverageViewerIsOn_isThePackedRelays() {
    relays.reset(10);
    relays.settle(1_800, 1, 900); // two relays at 900, eight empty: the region at 18%
    assertThat(relays.squares() / 1_000 / relays.viewers()).isCloseTo(0.9, within(1e-9));
  }

  @Test
  void aRelayHoldsViewersUntilLessThanOneIsLeftOnIt_asTheEdgeCountsThem() {
    relays.reset(4);
    relays.settle(1_810, 1, 900); // 0, 10, 900, 900
    assertThat(relays.holdingViewers()).isEqualTo(3);

    // 95% leave every relay alike: 0, 0.5, 45, 45. Half a viewer is none.
    relays.settle(90.5, 0.05, 900);
    assertThat(relays.holdingViewers()).isEqualTo(2);
  }
}
