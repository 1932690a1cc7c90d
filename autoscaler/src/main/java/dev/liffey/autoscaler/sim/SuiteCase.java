package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.sim.SuiteTarget.Verdict;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One trace of the suite (a family and a seed) and every policy's scorecard on it, with Liffey's
 * ratios and verdicts. Immutable.
 *
 * @param parameters what the seed drew, in words
 * @param cards by policy name, in the order the policies were given
 */
public record SuiteCase(String family, long seed, String parameters, Map<String, Scorecard> cards) {
  public SuiteCase {
    cards = Collections.unmodifiableMap(new LinkedHashMap<>(cards));
  }

  public Optional<Ratio> ratio(SuiteRatio r) {
    return r.of(cards);
  }

  public Verdict verdict(SuiteTarget target) {
    return target.judge(this::ratio);
  }

  /**
   * How {@code policy} would fare against Liffey's target on this trace, its scorecard in Liffey's
   * place; not judged when it was not run, or when the target is about Liffey's own parts ({@link
   * SuiteTarget#boundByReacting}).
   */
  public Verdict verdict(SuiteTarget target, String policy) {
    return cards.containsKey(policy) && target.boundByReacting()
        ? target.judge(r -> r.of(cards, policy))
        : Verdict.NOT_JUDGED;
  }

  /**
   * Where Liffey missed the cost target, the policies run that show the miss was not a trade: each
   * sees nothing of the trace ahead ({@link Policies#REACTING}), meets the cost target in Liffey's
   * place, and leaves no more viewers unserved, none slower and no more service unserved than
   * Liffey. Empty where Liffey met the target, and where every policy that meets it, reacting, paid
   * for it in viewers, in speed or in service (the miss bought service).
   */
  public List<String> costMissAvoidedBy() {
    if (verdict(SuiteTarget.COST) != Verdict.MISSED) {
      return List.of();
    }
    return reactingServingAsWell(p -> verdict(SuiteTarget.COST, p) == Verdict.MET);
  }

  /**
   * Whether Liffey missed the cost target while staying within that limit of what {@code
   * oracle-rerouting} pays: the premium of moving joins off an incident, not Liffey's waste. False
   * where it met the target, or the rerouting oracle was not run.
   */
  public boolean costMissWithinRerouting() {
    return verdict(SuiteTarget.COST) == Verdict.MISSED
        && ratio(SuiteRatio.COST_VS_ORACLE_REROUTING)
            .filter(SuiteRatio.COST_VS_ORACLE::within)
            .isPresent();
  }

  /**
   * The policies run that did better than Liffey on this trace, target or none: each sees nothing
   * of the trace ahead ({@link Policies#REACTING}), cost less, and left no more viewers unserved,
   * none slower and no more service unserved. What Liffey bought there, it bought for nothing.
   */
  public List<String> cheaperAndAsGood() {
    return reactingServingAsWell(
        p -> cards.get(p).costUsd() < cards.get(LiffeyPolicy.NAME).costUsd());
  }

  /**
   * The policies run besides Liffey that see nothing ahead, pass {@code test} (asked only when
   * Liffey was run), and serve as well as Liffey; none when Liffey was not run.
   */
  private List<String> reactingServingAsWell(Predicate<String> test) {
    Scorecard liffey = cards.get(LiffeyPolicy.NAME);
    if (liffey == null) {
      return List.of();
    }
    return Policies.REACTING.stream()
        .filter(p -> !p.equals(LiffeyPolicy.NAME) && cards.containsKey(p))
        .filter(test)
        .filter(p -> servesAsWell(cards.get(p), liffey))
        .toList();
  }

  /** No more viewer-seconds unserved, slow, or without a service than {@code than}. */
  private static boolean servesAsWell(Scorecard card, Scorecard than) {
    return card.unservedViewerSeconds() <= than.unservedViewerSeconds()
        && card.slowViewerSeconds() <= than.slowViewerSeconds()
        && card.unservedServiceViewerSeconds() <= than.unservedServiceViewerSeconds();
  }

  /** Every target's verdict, in {@link SuiteTarget} order. */
  public Map<SuiteTarget, Verdict> verdicts() {
    Map<SuiteTarget, Verdict> out = new EnumMap<>(SuiteTarget.class);
    for (SuiteTarget t : SuiteTarget.values()) {
      out.put(t, verdict(t));
    }
    return out;
  }
}
