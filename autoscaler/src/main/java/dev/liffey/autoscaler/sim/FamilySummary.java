package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.sim.SuiteTarget.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A family's traces across seeds: the median, p90 and worst of each ratio, and each target's
 * verdict (missed if any seed missed it). Percentiles are nearest-rank, so each is a ratio some
 * seed produced, zeros and all. Immutable.
 */
public record FamilySummary(String family, List<SuiteCase> cases) {
  /** A ratio across seeds; {@code worstSeed} is the seed of the worst. */
  public record Spread(Ratio median, Ratio p90, Ratio worst, long worstSeed) {}

  public FamilySummary {
    cases = List.copyOf(cases);
  }

  /** Empty when no seed could compute the ratio (a policy it needs was not run). */
  public Optional<Spread> spread(SuiteRatio ratio) {
    List<SuiteCase> having = new ArrayList<>();
    for (SuiteCase c : cases) {
      c.ratio(ratio).ifPresent(r -> having.add(c));
    }
    if (having.isEmpty()) {
      return Optional.empty();
    }
    // Sorted by ratio; among equal ratios by seed, so the worst named is the lowest seed that shows
    // it.
    having.sort(
        Comparator.comparing((SuiteCase c) -> c.ratio(ratio).orElseThrow())
            .thenComparing(Comparator.comparingLong(SuiteCase::seed).reversed()));
    SuiteCase worst = having.get(having.size() - 1);
    return Optional.of(
        new Spread(
            nearestRank(having, ratio, 0.5),
            nearestRank(having, ratio, 0.9),
            worst.ratio(ratio).orElseThrow(),
            worst.seed()));
  }

  private static Ratio nearestRank(List<SuiteCase> sorted, SuiteRatio ratio, double q) {
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, rank - 1)).ratio(ratio).orElseThrow();
  }

  /**
   * Missed if any seed missed; met if every seed that could be judged met; not judged if none
   * could.
   */
  public Verdict verdict(SuiteTarget target) {
    boolean judged = false;
    for (SuiteCase c : cases) {
      Verdict v = c.verdict(target);
      if (v == Verdict.MISSED) {
        return Verdict.MISSED;
      }
      judged |= v == Verdict.MET;
    }
    return judged ? Verdict.MET : Verdict.NOT_JUDGED;
  }

  /** The seeds on which the target was missed. */
  public List<Long> missedSeeds(SuiteTarget target) {
    return cases.stream()
        .filter(c -> c.verdict(target) == Verdict.MISSED)
        .map(SuiteCase::seed)
        .toList();
  }

  /**
   * The seeds on which Liffey missed the target and {@code policy}, judged by the same target in
   * Liffey's place, missed it too: with the reactive oracle, the misses no policy that reacts to
   * what it sees could avoid.
   */
  public List<Long> missedToo(SuiteTarget target, String policy) {
    return cases.stream()
        .filter(
            c -> c.verdict(target) == Verdict.MISSED && c.verdict(target, policy) == Verdict.MISSED)
        .map(SuiteCase::seed)
        .toList();
  }

  /**
   * The seeds whose cost miss a policy that sees nothing ahead avoided without serving worse, each
   * with those policies ({@link SuiteCase#costMissAvoidedBy}), in seed order.
   */
  public Map<Long, List<String>> costMissesAvoided() {
    return bySeed(SuiteCase::costMissAvoidedBy);
  }

  /**
   * The seeds on which a policy that sees nothing ahead cost less than Liffey and served as well,
   * each with those policies ({@link SuiteCase#cheaperAndAsGood}), in seed order.
   */
  public Map<Long, List<String>> outdone() {
    return bySeed(SuiteCase::cheaperAndAsGood);
  }

  private Map<Long, List<String>> bySeed(Function<SuiteCase, List<String>> policies) {
    Map<Long, List<String>> out = new LinkedHashMap<>();
    for (SuiteCase c : cases) {
      List<String> by = policies.apply(c);
      if (!by.isEmpty()) {
        out.put(c.seed(), by);
      }
    }
    return out;
  }

  /** No target missed on any seed. */
  public boolean met() {
    for (SuiteTarget t : SuiteTarget.values()) {
      if (verdict(t) == Verdict.MISSED) {
        return false;
      }
    }
    return true;
  }
}
