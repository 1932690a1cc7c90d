package dev.liffey.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.sim.Scorecard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceJudgementTest {
  /** A scorecard with the figures the targets read; the rest 0. */
  private static Scorecard card(
      String policy, double unserved, double slow, double cost, double service) {
    return new Scorecard(
        policy,
        unserved,
        10_000_000 - unserved,
        slow,
        cost,
        0,
        0,
        0,
        0,
        0,
        service,
        Map.of(),
        0,
        0,
        0);
  }

  private static Map<String, Scorecard> cards(Scorecard... cs) {
    Map<String, Scorecard> out = new LinkedHashMap<>();
    for (Scorecard c : cs) {
      out.put(c.policy(), c);
    }
    return out;
  }

  @Test
  void aTargetWhoseBaselineWasNotRunSaysWhichPolicyWouldJudgeIt() {
    List<String> lines =
        new TraceJudgement(
                "t.csv",
                cards(card("liffey", 0, 100, 10, 0), card("target-tracking", 5_000, 1_000, 9, 0)))
            .lines();

    assertThat(lines)
        .contains("cost: not judged (add oracle to --policy: cost <= 1.25x the oracle's)")
        .contains(
            "routing: not judged (add liffey-fixed-routing to --policy: unserved <= Liffey's own"
                + " with fixed routing (routing loses no viewers))")
        .contains("slow: met (slow above floor / target-tracking 10%, at most 20%)");
  }

  @Test
  void aMissTheReactiveOracleSharesIsSaidToBeBeyondReacting_andOneItMeetsToBeLiffeysOwn() {
    TraceJudgement j =
        new TraceJudgement(
            "t.csv",
            cards(
                card("liffey", 40_000, 100, 14, 0),
                card("target-tracking", 100_000, 1_000, 10, 0),
                card("oracle", 0, 5_000, 10, 0),
                card("oracle-reactive", 60_000, 100, 11, 0)));

    assertThat(j.lines())
        .contains(
            "unserved: MISSED (unserved / target-tracking 40%, at most 5.0%; unserved share of all"
                + " viewer·s 0.4%, at most 0.050%; oracle-reactive misses it too: no policy that"
                + " only reacts meets it)")
        .contains(
            "cost: MISSED (cost / oracle 1.40x, at most 1.25x; oracle-reactive meets it: Liffey's"
                + " own miss)");
    Map<String, Object> json = j.json();
    assertThat(json.get("verdicts").toString())
        .isEqualTo("{unserved=missed, cost=missed, slow=met, service=met, routing=not judged}");
    assertThat(json.get("reactiveOracleVerdicts").toString())
        .isEqualTo("{unserved=missed, cost=met, slow=met, service=met}");
  }

  @Test
  void aCostMissWithinWhatAReroutePaysSaysSo_andOneAPolicyAvoidedSaysItWasNoTrade() {
    List<String> lines =
        new TraceJudgement(
                "t.csv",
                cards(
                    card("liffey", 0, 100, 14, 0),
                    card("target-tracking", 100, 1_000, 10, 0),
                    card("oracle", 0, 5_000, 10, 0),
                    card("oracle-rerouting", 0, 200, 12, 0),
                    card("liffey-fixed-routing", 0, 100, 12, 0)))
            .lines();

    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("cost: MISSED (cost / oracle 1.40x, at most 1.25x; ")
                    .contains(
                        "cost / oracle-rerouting 1.17x: within what moving the joins off an"
                            + " incident costs at the least")
                    .contains(
                        "not a trade: liffey-fixed-routing met it, no slower and losing no more"
                            + " viewers or service"));
  }

  @Test
  void withoutLiffeyThereIsNothingToJudge() {
    TraceJudgement j = new TraceJudgement("t.csv", cards(card("oracle", 0, 0, 1, 0)));

    assertThat(j.judged()).isFalse();
    assertThat(j.lines()).isEmpty();
    assertThat(j.json()).isEmpty();
  }
}
