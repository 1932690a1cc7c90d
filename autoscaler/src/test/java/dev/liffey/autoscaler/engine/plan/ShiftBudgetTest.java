package dev.liffey.autoscaler.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShiftBudgetTest {
  private static final Instant T0 = Instant.parse("2026-12-01T18:00:00Z");

  /** 40 a minute in 10 s ticks: a tick's share, rounded, is 7. */
  private final ShiftBudget budget = new ShiftBudget(40, Duration.ofSeconds(10));

  /** Dublin's room at {@code seconds}, with Dublin at {@code dublin} and London the rest. */
  private int roomAt(int seconds, int dublin) {
    Map<String, Integer> weights = Map.of("eu-west-1", dublin, "eu-west-2", 255 - dublin);
    budget.observe(T0.plusSeconds(seconds), weights);
    return budget.room(weights).get("eu-west-1");
  }

  @Test
  void aWeightThatHasNotMoved_movesATicksShare() {
    assertThat(roomAt(0, 200)).isEqualTo(7);
    assertThat(roomAt(10, 200)).isEqualTo(7);
  }

  @Test
  void theSixthMoveOfAMinute_takesOnlyWhatTheMinuteHasLeft() {
    int dublin = 200;
    for (int t = 0; t < 50; t += 10) {
      dublin -= roomAt(t, dublin);
    }

    assertThat(dublin).isEqualTo(165);
    assertThat(roomAt(50, dublin)).isEqualTo(5); // 35 moved within the minute: 5 left of 40
  }

  @Test
  void inAnyMinute_movesAddUpToTheLimit_neverPastIt() {
    int dublin = 255;
    int[] moves = new int[24];
    for (int i = 0; i < moves.length; i++) {
      moves[i] = roomAt(10 * i, dublin);
      dublin -= moves[i];
    }

    for (int first = 0; first + 6 <= moves.length; first++) {
      int inAMinute = 0;
      for (int k = first; k < first + 6; k++) {
        inAMinute += moves[k];
      }
      assertThat(inAMinute).as("moves %d to %d", first, first + 5).isEqualTo(40);
    }
  }

  @Test
  void aMoveMadeAMinuteAgo_isForgotten() {
    roomAt(0, 200); // the weights moved 40 between this tick and the next
    roomAt(10, 160);

    assertThat(roomAt(20, 160)).isEqualTo(0);
    assertThat(roomAt(50, 160)).isEqualTo(0);
    assertThat(roomAt(60, 160)).isEqualTo(7); // a minute after the move
  }

  @Test
  void aTicksShareFollowsTheTick_atLeastOne() {
    Map<String, Integer> weights = Map.of("eu-west-1", 200, "eu-west-2", 55);

    assertThat(new ShiftBudget(40, Duration.ofSeconds(1)).room(weights))
        .containsEntry("eu-west-1", 1);
    assertThat(new ShiftBudget(40, Duration.ofSeconds(30)).room(weights))
        .containsEntry("eu-west-1", 20);
    assertThat(new ShiftBudget(40, Duration.ofMinutes(2)).room(weights))
        .containsEntry("eu-west-1", 40); // never more than the minute's limit
  }
}
