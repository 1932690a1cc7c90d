package dev.liffey.autoscaler.sim;

import static dev.liffey.autoscaler.sim.TestScorecards.card;
import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.sim.SuiteTarget.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteTargetTest {
  private static SuiteCase trace(Scorecard... cards) {
    Map<String, Scorecard> byPolicy = new LinkedHashMap<>();
    for (Scorecard c : cards) {
      byPolicy.put(c.policy(), c);
    }
    return new SuiteCase("flash-crowd", 1, "IE +14k", byPolicy);
  }

  @Test
  void everyTargetIsMet_whenLiffeyIsWithinEveryLimit() {
    SuiteCase c =
        trace(
            card("liffey", 4, 1_000_000, 10, 120, 0),
            card("target-tracking", 100, 1_000_000, 100, 100, 0),
            card("oracle", 0, 1_000_000, 500, 100, 0),
            card("liffey-fixed-routing", 4, 1_000_000, 40, 110, 0));

    assertThat(c.verdicts())
        .containsOnlyKeys(SuiteTarget.values())
        .containsValues(Verdict.MET)
        .doesNotContainValue(Verdict.MISSED)
        .doesNotContainValue(Verdict.NOT_JUDGED);
    assertThat(c.ratio(SuiteRatio.COST_VS_ORACLE)).contains(new Ratio(120, 100));
    assertThat(c.ratio(SuiteRatio.SERVICE_VS_TARGET_TRACKING)).contains(new Ratio(0, 0));
  }

  @Test
  void unservedAboveFivePercentOfTargetTrackingsMisses_unlessItIsBelowAShareOfAllViewerSeconds() {
    SuiteCase many =
        trace(
            card("liffey", 6_000, 1_000_000, 0, 1, 0),
            card("target-tracking", 100_000, 1_000_000, 0, 1, 0));
    SuiteCase few =
        trace(
            card("liffey", 6, 1_000_000, 0, 1, 0),
            card("target-tracking", 100, 1_000_000, 0, 1, 0));

    assertThat(many.verdict(SuiteTarget.UNSERVED)).isEqualTo(Verdict.MISSED);
    assertThat(few.ratio(SuiteRatio.UNSERVED_SHARE).orElseThrow().atMost(0.0005)).isTrue();
    assertThat(few.verdict(SuiteTarget.UNSERVED)).isEqualTo(Verdict.MET);
  }

  @Test
  void unservedIsComparedWithTheBestAwsBaselineThatRan() {
    SuiteCase c =
        trace(
            card("liffey", 3_000, 1_000_000, 0, 1, 0),
            card("target-tracking", 100_000, 1_000_000, 0, 1, 0),
            card("step-scaling", 20_000, 1_000_000, 0, 1, 0),
            card("predictive", 10_000, 1_000_000, 0, 1, 0));

    assertThat(c.ratio(SuiteRatio.UNSERVED_VS_BEST_AWS)).contains(new Ratio(3_000, 10_000));
    assertThat(c.verdict(SuiteTarget.UNSERVED))
        .isEqualTo(Verdict.MISSED); // 3% of tracking's, but 30% of predictive's
  }

  @Test
  void aTargetWhoseBaselineDidNotRunIsNotJudged_andItsRatiosAreEmpty() {
    SuiteCase c =
        trace(
            card("liffey", 3_000, 1_000_000, 0, 1, 0),
            card("target-tracking", 100_000, 1_000_000, 0, 1, 0));

    assertThat(c.ratio(SuiteRatio.UNSERVED_VS_BEST_AWS)).isEmpty();
    assertThat(c.ratio(SuiteRatio.COST_VS_ORACLE_AT_TARGET)).isEmpty();
    assertThat(c.verdict(SuiteTarget.COST)).isEqualTo(Verdict.NOT_JUDGED);
    assertThat(c.verdict(SuiteTarget.UNSERVED)).isEqualTo(Verdict.MET);
  }

  @Test
  void losingViewersWhereTheBaselineLostNoneMisses() {
    SuiteCase c =
        trace(
            card("liffey", 50_000, 1_000_000, 0, 1, 7),
            card("target-tracking", 0, 1_000_000, 0, 1, 0));

    assertThat(c.ratio(SuiteRatio.UNSERVED_VS_TARGET_TRACKING).orElseThrow().kind())
        .isEqualTo(Ratio.Kind.BASELINE_ZERO);
    assertThat(c.verdict(SuiteTarget.UNSERVED)).isEqualTo(Verdict.MISSED);
    assertThat(c.verdict(SuiteTarget.SERVICE)).isEqualTo(Verdict.MISSED);
  }

  @Test
  void slowIsMeasuredAboveTheFloor_whereTheScorecardHasOne() {
    SuiteCase c =
        trace(
            card("liffey", Map.of("slowViewerSeconds", 300.0, "slowFloorViewerSeconds", 200.0)),
            card("target-tracking", Map.of("slowViewerSeconds", 700.0)));
    boolean hasFloor =
        List.of(Scorecard.class.getRecordComponents()).stream()
            .anyMatch(x -> x.getName().equals(SuiteRatio.SLOW_FLOOR));

    // (300 - 200) / (700 - 200) = 20% with the floor; 300 / 700 without it.
    assertThat(c.ratio(SuiteRatio.SLOW_VS_TARGET_TRACKING))
        .contains(hasFloor ? new Ratio(100, 500) : new Ratio(300, 700));
    assertThat(c.verdict(SuiteTarget.SLOW)).isEqualTo(hasFloor ? Verdict.MET : Verdict.MISSED);
  }

  @Test
  void slowIsAlsoShownAgainstTheReactiveOracle_aboveTheSameFloor_withNoTargetOfItsOwn() {
    SuiteCase c =
        trace(
            card("liffey", Map.of("slowViewerSeconds", 300.0, "slowFloorViewerSeconds", 200.0)),
            card("target-tracking", Map.of("slowViewerSeconds", 700.0)),
            card("oracle-reactive", Map.of("slowViewerSeconds", 1_200.0)));

    assertThat(c.ratio(SuiteRatio.SLOW_VS_REACTIVE_ORACLE)).contains(new Ratio(100, 1_000));
    assertThat(SuiteRatio.SLOW_VS_REACTIVE_ORACLE.limit()).isEmpty();
  }

  @Test
  void routingThatLosesViewersFixedRoutingServesMisses_andNoOtherPolicyIsJudgedByIt() {
    SuiteCase lost =
        trace(
            card("liffey", 3_772_030, 1_000_000, 0, 1, 0),
            card("liffey-fixed-routing", 3_765_124, 1_000_000, 0, 1, 0),
            card("oracle-reactive", 0, 1_000_000, 0, 1, 0));
    SuiteCase same =
        trace(
            card("liffey", 20_000, 1_000_000, 0, 1, 0),
            card("liffey-fixed-routing", 20_000, 1_000_000, 0, 1, 0));
    SuiteCase saved =
        trace(
            card("liffey", 20_000, 1_000_000, 0, 1, 0),
            card("liffey-fixed-routing", 3_347_253, 1_000_000, 0, 1, 0));

    assertThat(lost.verdict(SuiteTarget.ROUTING)).isEqualTo(Verdict.MISSED);
    assertThat(lost.ratio(SuiteRatio.UNSERVED_VS_FIXED_ROUTING).orElseThrow().render(true))
        .isEqualTo("100.2%");
    assertThat(same.verdict(SuiteTarget.ROUTING)).isEqualTo(Verdict.MET);
    assertThat(saved.verdict(SuiteTarget.ROUTING)).isEqualTo(Verdict.MET);
    assertThat(trace(card("liffey", 1, 1, 0, 1, 0)).verdict(SuiteTarget.ROUTING))
        .isEqualTo(Verdict.NOT_JUDGED);
    // The target is about Liffey's router: the reactive oracle has none to be judged by.
    assertThat(lost.verdict(SuiteTarget.ROUTING, "oracle-reactive")).isEqualTo(Verdict.NOT_JUDGED);
    assertThat(lost.verdict(SuiteTarget.UNSERVED, "oracle-reactive"))
        .isNotEqualTo(Verdict.NOT_JUDGED);
  }
}
