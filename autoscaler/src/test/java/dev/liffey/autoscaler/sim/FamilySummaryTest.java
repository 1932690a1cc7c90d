package dev.liffey.autoscaler.sim;

import static dev.liffey.autoscaler.sim.TestScorecards.card;
import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.sim.SuiteTarget.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FamilySummaryTest {
  /** Seed i has Liffey's cost costs[i - 1] against the oracle's 100. */
  private static FamilySummary family(double... costs) {
    return new FamilySummary("stair", cases(costs, null));
  }

  /**
   * Seed i has Liffey's cost costs[i - 1] and, unless null, the reactive oracle's reactive[i - 1],
   * against the oracle's 100.
   */
  private static List<SuiteCase> cases(double[] costs, double[] reactive) {
    List<SuiteCase> cases = new ArrayList<>();
    for (int i = 0; i < costs.length; i++) {
      Map<String, Scorecard> cards = new HashMap<>();
      cards.put("liffey", card("liffey", 0, 1, 0, costs[i], 0));
      cards.put("oracle", card("oracle", 0, 1, 0, 100, 0));
      if (reactive != null) {
        cards.put("oracle-reactive", card("oracle-reactive", 0, 1, 0, reactive[i], 0));
      }
      cases.add(new SuiteCase("stair", i + 1, "seed " + (i + 1), cards));
    }
    return cases;
  }

  @Test
  void theMedianP90AndWorstAreRatiosSomeSeedProduced_nearestRank() {
    FamilySummary.Spread s =
        family(130, 110, 120, 160, 100).spread(SuiteRatio.COST_VS_ORACLE).orElseThrow();

    assertThat(s.median()).isEqualTo(new Ratio(120, 100));
    assertThat(s.p90()).isEqualTo(new Ratio(160, 100));
    assertThat(s.worst()).isEqualTo(new Ratio(160, 100));
    assertThat(s.worstSeed()).isEqualTo(4);
  }

  @Test
  void aTargetMissedOnOneSeedIsMissedForTheFamily_withThatSeedNamed() {
    FamilySummary f = family(110, 126, 120);

    assertThat(f.verdict(SuiteTarget.COST)).isEqualTo(Verdict.MISSED);
    assertThat(f.missedSeeds(SuiteTarget.COST)).containsExactly(2L);
    assertThat(f.met()).isFalse();
    assertThat(family(110, 125).met()).isTrue();
  }

  @Test
  void aRatioNoSeedCouldComputeHasNoSpread_andItsTargetIsNotJudged() {
    FamilySummary f = family(110);

    assertThat(f.spread(SuiteRatio.UNSERVED_VS_TARGET_TRACKING)).isEmpty();
    assertThat(f.verdict(SuiteTarget.SLOW)).isEqualTo(Verdict.NOT_JUDGED);
  }

  @Test
  void aMissIsSharedByAnotherPolicyOnlyWhereItMissesTheSameTargetOnTheSameSeed() {
    List<SuiteCase> cases = cases(new double[] {110, 130, 130}, new double[] {130, 120, 140});
    FamilySummary f = new FamilySummary("stair", cases);

    assertThat(f.missedSeeds(SuiteTarget.COST)).containsExactly(2L, 3L);
    // Seed 1: only the reactive oracle missed; seed 2: only Liffey; seed 3: both.
    assertThat(f.missedToo(SuiteTarget.COST, "oracle-reactive")).containsExactly(3L);
    assertThat(cases.get(0).verdict(SuiteTarget.COST, "oracle-reactive")).isEqualTo(Verdict.MISSED);
    assertThat(cases.get(0).verdict(SuiteTarget.COST, "predictive")).isEqualTo(Verdict.NOT_JUDGED);
    assertThat(f.missedToo(SuiteTarget.COST, "predictive")).isEmpty();
  }

  @Test
  void aCostMissIsATradeUnlessAPolicySeeingNothingAheadMetTheCostAndServedAsWell() {
    Map<String, Scorecard> cards = new HashMap<>();
    cards.put("oracle", card("oracle", 0, 1, 0, 100, 0));
    // Liffey over the cost limit, with 10 unserved, 50 slow and 5 without a service.
    cards.put("liffey", card("liffey", 10, 1, 50, 130, 5));
    // Within the cost limit, but each worse on one measure: trades.
    cards.put("target-tracking", card("target-tracking", 11, 1, 50, 110, 5));
    cards.put("step-scaling", card("step-scaling", 10, 1, 51, 110, 5));
    cards.put("oracle-reactive", card("oracle-reactive", 10, 1, 50, 110, 6));
    // As good on every measure, but over the cost limit itself.
    cards.put("predictive", card("predictive", 10, 1, 50, 126, 5));
    // As good on every measure and cheaper, but it knows the trace's peak.
    cards.put("static", card("static", 0, 1, 0, 110, 0));
    SuiteCase traded = new SuiteCase("stair", 1, "seed 1", cards);

    assertThat(traded.costMissAvoidedBy()).isEmpty();
    // Cheaper and as good, if over the limit itself: what Liffey bought there it bought for
    // nothing. Static is cheaper and better, but it knows the peak.
    assertThat(traded.cheaperAndAsGood()).containsExactly("predictive");

    // A policy that sees nothing ahead, within the limit and no worse anywhere: not a trade.
    Map<String, Scorecard> more = new HashMap<>(cards);
    more.put("liffey-fixed-routing", card("liffey-fixed-routing", 10, 1, 50, 124, 5));
    more.put("oracle-reactive-rerouting", card("oracle-reactive-rerouting", 9, 1, 40, 120, 0));
    SuiteCase avoided = new SuiteCase("stair", 2, "seed 2", more);
    FamilySummary f = new FamilySummary("stair", List.of(traded, avoided));

    assertThat(avoided.costMissAvoidedBy())
        .containsExactly("liffey-fixed-routing", "oracle-reactive-rerouting");
    assertThat(f.costMissesAvoided()).containsOnlyKeys(2L);
    assertThat(f.outdone()).containsOnlyKeys(1L, 2L);
    assertThat(f.outdone().get(2L))
        .containsExactly("liffey-fixed-routing", "predictive", "oracle-reactive-rerouting");
    // Where Liffey met the cost target there is nothing to avoid.
    more.put("liffey", card("liffey", 10, 1, 50, 125, 5));
    assertThat(new SuiteCase("stair", 3, "seed 3", more).costMissAvoidedBy()).isEmpty();
  }

  @Test
  void amongEqualWorstRatiosTheLowestSeedIsNamed() {
    assertThat(family(120, 150, 150).spread(SuiteRatio.COST_VS_ORACLE).orElseThrow().worstSeed())
        .isEqualTo(2);
  }
}
