package dev.liffey.cli.report;

import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.autoscaler.sim.Scorecard;
import dev.liffey.autoscaler.sim.SuiteCase;
import dev.liffey.autoscaler.sim.SuiteRatio;
import dev.liffey.autoscaler.sim.SuiteTarget;
import dev.liffey.autoscaler.sim.SuiteTarget.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Liffey on one trace judged as the robustness suite judges each of its seeds: every target of
 * issue 10 from the same ratios and rules ({@link SuiteCase}), so a trace of one's own (a real
 * viewer log, a shape nobody drew) gets the verdicts a suite family's seed would. A target whose
 * baseline was not run says which policy it needs; a miss says whether the reactive oracle, which
 * knows every viewer the moment they arrive, misses it too (then reacting alone cannot meet it),
 * and a cost miss whether it stays within the least a reroute costs.
 */
public final class TraceJudgement {
  private final SuiteCase trace;

  public TraceJudgement(String name, Map<String, Scorecard> cards) {
    this(new SuiteCase(name, 0, "", cards));
  }

  /** One seed of the suite, judged as its JSON reports each run. */
  TraceJudgement(SuiteCase trace) {
    this.trace = trace;
  }

  /** Whether Liffey was run: without it there is nothing to judge. */
  public boolean judged() {
    return trace.cards().containsKey(LiffeyPolicy.NAME);
  }

  /**
   * One line a target, like {@code cost: MISSED (cost / oracle 1.31x, at most 1.25x; the reactive
   * oracle meets it)}; empty when Liffey was not run.
   */
  public List<String> lines() {
    if (!judged()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (SuiteTarget t : SuiteTarget.values()) {
      Verdict v = trace.verdict(t);
      StringBuilder line = new StringBuilder(t.key()).append(": ");
      if (v == Verdict.NOT_JUDGED) {
        out.add(
            line.append("not judged (add ")
                .append(t.judgedAgainst())
                .append(" to --policy: ")
                .append(t.statement())
                .append(")")
                .toString());
        continue;
      }
      line.append(v == Verdict.MET ? "met" : "MISSED").append(" (").append(ratios(t));
      if (v == Verdict.MISSED) {
        missWords(t).forEach(w -> line.append("; ").append(w));
      }
      out.add(line.append(")").toString());
    }
    return out;
  }

  /** The verdicts, ratios and reactive oracle's verdicts in the suite's JSON shape for one run. */
  public Map<String, Object> json() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!judged()) {
      return out;
    }
    Map<String, Object> verdicts = new LinkedHashMap<>();
    trace.verdicts().forEach((t, v) -> verdicts.put(t.key(), SuiteReport.word(v)));
    out.put("verdicts", verdicts);
    if (trace.cards().containsKey(OraclePolicy.REACTIVE_NAME)) {
      Map<String, Object> reactive = new LinkedHashMap<>();
      for (SuiteTarget t : SuiteTarget.values()) {
        if (t.boundByReacting()) {
          reactive.put(t.key(), SuiteReport.word(trace.verdict(t, OraclePolicy.REACTIVE_NAME)));
        }
      }
      out.put("reactiveOracleVerdicts", reactive);
    }
    Map<String, Object> ratios = new LinkedHashMap<>();
    for (SuiteRatio r : SuiteRatio.values()) {
      trace.ratio(r).ifPresent(x -> ratios.put(r.key(), SuiteReport.json(x)));
    }
    out.put("ratios", ratios);
    return out;
  }

  /** "unserved / target-tracking 0.4%, at most 5%; ..." for every ratio of the target that ran. */
  private String ratios(SuiteTarget t) {
    List<String> parts = new ArrayList<>();
    for (SuiteRatio r : t.ratios()) {
      trace
          .ratio(r)
          .ifPresent(
              x ->
                  parts.add(
                      r.label()
                          + " "
                          + x.render(r.percent())
                          + (r.limit().isPresent()
                              ? ", at most " + SuiteReport.limitValue(r)
                              : "")));
    }
    return String.join("; ", parts);
  }

  /** What a miss shares with the reactive oracle, and for cost what it bought. */
  private List<String> missWords(SuiteTarget t) {
    List<String> out = new ArrayList<>();
    if (t.boundByReacting() && trace.cards().containsKey(OraclePolicy.REACTIVE_NAME)) {
      out.add(
          trace.verdict(t, OraclePolicy.REACTIVE_NAME) == Verdict.MISSED
              ? OraclePolicy.REACTIVE_NAME + " misses it too: no policy that only reacts meets it"
              : OraclePolicy.REACTIVE_NAME + " meets it: Liffey's own miss");
    }
    if (t == SuiteTarget.COST) {
      trace
          .ratio(SuiteRatio.COST_VS_ORACLE_REROUTING)
          .ifPresent(
              r ->
                  out.add(
                      SuiteRatio.COST_VS_ORACLE_REROUTING.label()
                          + " "
                          + r.render(false)
                          + (trace.costMissWithinRerouting()
                              ? ": within what moving the joins off an incident costs at the least"
                              : "")));
      List<String> avoided = trace.costMissAvoidedBy();
      if (!avoided.isEmpty()) {
        out.add(
            "not a trade: "
                + String.join(", ", avoided)
                + " met it, no slower and losing no more viewers or service");
      }
    }
    return out;
  }
}
