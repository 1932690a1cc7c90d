package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteRunnerTest {
  @Test
  void runsEveryFamilySeedAndPolicyInOrder_withTheSameScorecardsOnOneThreadOrTwo() {
    List<String> policies = List.of("liffey", "target-tracking");
    List<FamilySummary> one =
        new SuiteRunner(TestConfigs.repository(), Simulation.DEFAULT_START, 1)
            .run(List.of("false-alarm", "viral-spike"), SeedRange.firstN(2), policies);
    List<FamilySummary> two =
        new SuiteRunner(TestConfigs.repository(), Simulation.DEFAULT_START, 2)
            .run(List.of("false-alarm", "viral-spike"), SeedRange.firstN(2), policies);

    assertThat(one).extracting(FamilySummary::family).containsExactly("false-alarm", "viral-spike");
    assertThat(one.get(0).cases()).extracting(SuiteCase::seed).containsExactly(1L, 2L);
    assertThat(one.get(1).cases().get(0).cards().keySet())
        .containsExactly("liffey", "target-tracking");
    assertThat(one.get(1).cases().get(0).parameters())
        .isEqualTo(ScenarioFamilies.generate("viral-spike", 1).parameters());
    assertThat(two).isEqualTo(one);
  }

  @Test
  void aRangeFurtherOnRunsThoseSeeds_eachWithItsOwnTrace() {
    List<FamilySummary> held =
        new SuiteRunner(TestConfigs.repository(), Simulation.DEFAULT_START, 2)
            .run(List.of("false-alarm"), new SeedRange(31, 32), List.of("liffey"));

    assertThat(held.get(0).cases()).extracting(SuiteCase::seed).containsExactly(31L, 32L);
    assertThat(held.get(0).cases())
        .extracting(SuiteCase::parameters)
        .containsExactly(
            ScenarioFamilies.generate("false-alarm", 31).parameters(),
            ScenarioFamilies.generate("false-alarm", 32).parameters());
  }

  @Test
  void aRangeSaysWhichSeeds_countingThoseFromOne() {
    assertThat(SeedRange.firstN(5).words()).isEqualTo("5 seeds");
    assertThat(SeedRange.firstN(1).words()).isEqualTo("1 seed");
    assertThat(new SeedRange(31, 60).words()).isEqualTo("seeds 31-60");
    assertThat(new SeedRange(7, 7).words()).isEqualTo("seed 7");
    assertThat(SeedRange.firstN(5).ofEach()).isEqualTo("5 seeds each");
    assertThat(new SeedRange(31, 60).ofEach()).isEqualTo("seeds 31-60 of each");
    assertThatThrownBy(() -> new SeedRange(0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seeds run from 1 to 1000000, first to last, got 0-3");
  }
}
