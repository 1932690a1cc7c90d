package dev.liffey.edge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.media.Ladder;
import dev.liffey.edge.transcode.LadderAssignment.RegionPlan;
import dev.liffey.edge.transcode.LadderAssignment.Result;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A transcoder's share of its region's ladder plan, and of its own slots. */
class LadderAssignmentTest {
  private static List<String> streams(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "s" + i).toList();
  }

  private static long on(Result r, Ladder l) {
    return r.ladders().values().stream().filter(l::equals).count();
  }

  @Test
  void withNoPlanYet_everyStreamIsOnTheFullLadder() {
    Result r = LadderAssignment.assign(streams(4), RegionPlan.FULL, 10);

    assertThat(r.ladders().values()).containsOnly(Ladder.FULL);
    assertThat(r.waiting()).isEmpty();
  }

  @Test
  void aTranscoderTakesThePlansShares_roundedTowardsTheShorterLadders_theFirstStreamsFullest() {
    // Region: 26 full, 9 on 720/480/360. This transcoder holds 10 of the 35 streams.
    RegionPlan plan =
        new RegionPlan(Map.of(Ladder.FULL, 26, Ladder.FROM_720, 9), 0, Optional.empty());

    Result r = LadderAssignment.assign(streams(10), plan, 10);

    assertThat(on(r, Ladder.FROM_720)).isEqualTo(3); // 10 x 9/35 = 2.6, rounded up
    assertThat(on(r, Ladder.FULL)).isEqualTo(7);
    assertThat(r.ladders().get("s1")).isEqualTo(Ladder.FULL);
    assertThat(r.ladders().get("s10")).isEqualTo(Ladder.FROM_720);
  }

  @Test
  void itsOwnSlotsComeFirst_aStreamGoneLiveSinceThePlanShortensOthers() {
    // The plan says every stream full, but 12 streams are here on an L4's 10 slots.
    Result r =
        LadderAssignment.assign(
            streams(12), new RegionPlan(Map.of(Ladder.FULL, 40), 0, Optional.empty()), 10);

    double used =
        on(r, Ladder.FULL)
            + on(r, Ladder.FROM_720) * Ladder.FROM_720.slotShare()
            + on(r, Ladder.FROM_480) * Ladder.FROM_480.slotShare();
    assertThat(used).isLessThanOrEqualTo(10.0);
    assertThat(on(r, Ladder.FROM_720)).isEqualTo(4); // 8 + 4 x 0.43 = 9.7
    assertThat(r.waiting()).isEmpty();
  }

  @Test
  void whenEvenTheShortestLadderDoesNotFit_theLastStreamsWait() {
    Result r = LadderAssignment.assign(streams(60), RegionPlan.FULL, 10); // 56.8 fit on 480/360

    assertThat(on(r, Ladder.FROM_480)).isEqualTo(56);
    assertThat(r.waiting()).containsExactly("s57", "s58", "s59", "s60");
  }

  @Test
  void aForcedLadderIsEveryStreams_andThoseWithNoSlotOnItWait() {
    RegionPlan forced = new RegionPlan(Map.of(Ladder.FULL, 10), 4, Optional.of(Ladder.FULL));

    Result r = LadderAssignment.assign(streams(12), forced, 10);

    assertThat(r.ladders()).hasSize(10).containsValue(Ladder.FULL);
    assertThat(r.ladders().values()).containsOnly(Ladder.FULL);
    assertThat(r.waiting()).containsExactly("s11", "s12");
  }
}
