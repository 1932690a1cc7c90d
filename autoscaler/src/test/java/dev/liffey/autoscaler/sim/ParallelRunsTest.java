package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class ParallelRunsTest {
  @Test
  void resultsComeBackInTheOrderOfTheTasks_howeverLongEachTook() {
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      tasks.add(
          () -> {
            Thread.sleep(8 - n);
            return n;
          });
    }

    assertThat(ParallelRuns.run(3, tasks)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void aFailingRunFailsTheWhole_withItsOwnException() {
    List<Callable<Integer>> tasks =
        List.of(
            () -> 1,
            () -> {
              throw new IllegalStateException("the generator made an invalid trace");
            });

    assertThatThrownBy(() -> ParallelRuns.run(2, tasks))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the generator made an invalid trace");
  }
}
