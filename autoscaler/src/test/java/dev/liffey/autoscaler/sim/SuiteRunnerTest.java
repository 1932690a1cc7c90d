package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteRunnerTest {
  @Test
  void runsEveryFamilySeedAndPolicyInOrder_withTheSameScorecardsOnOneThreadOrTwo() {
    List<String> policies = List.of("liffey", "target-tracking");
    List<FamilySummary> one =
        new SuiteRunner(TestConfigs.repository(), Simulation.DEFAULT_START, 1)
            .run(List.of("false-alarm", "viral-spike"), 2, policies);
    List<FamilySummary> two =
        new SuiteRunner(TestConfigs.repository(), Simulation.DEFAULT_START, 2)
            .run(List.of("false-alarm", "viral-spike"), 2, policies);

    assertThat(one).extracting(FamilySummary::family).containsExactly("false-alarm", "viral-spike");
    assertThat(one.get(0).cases()).extracting(SuiteCase::seed).containsExactly(1L, 2L);
    assertThat(one.get(1).cases().get(0).cards().keySet())
        .containsExactly("liffey", "target-tracking");
    assertThat(one.get(1).cases().get(0).parameters())
        .isEqualTo(ScenarioFamilies.generate("viral-spike", 1).parameters());
    assertThat(two).isEqualTo(one);
  }
}
