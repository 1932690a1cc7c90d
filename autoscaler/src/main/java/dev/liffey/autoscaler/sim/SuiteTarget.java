package dev.liffey.autoscaler.sim;

import static dev.liffey.autoscaler.sim.SuiteRatio.COST_VS_ORACLE;
import static dev.liffey.autoscaler.sim.SuiteRatio.SERVICE_VS_TARGET_TRACKING;
import static dev.liffey.autoscaler.sim.SuiteRatio.SLOW_VS_TARGET_TRACKING;
import static dev.liffey.autoscaler.sim.SuiteRatio.UNSERVED_SHARE;
import static dev.liffey.autoscaler.sim.SuiteRatio.UNSERVED_VS_BEST_AWS;
import static dev.liffey.autoscaler.sim.SuiteRatio.UNSERVED_VS_FIXED_ROUTING;
import static dev.liffey.autoscaler.sim.SuiteRatio.UNSERVED_VS_TARGET_TRACKING;

import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Liffey's targets on every trace (issue 10), each judged from one trace's {@link SuiteRatio}s. */
public enum SuiteTarget {
  /**
   * Unserved at most 5% of target tracking's and at most 25% of the best AWS baseline's (where any
   * was run), or below 0.05% of all viewer-seconds whatever the baselines did.
   */
  UNSERVED(
      "unserved",
      "unserved <= 5% of target-tracking's and <= 25% of the best of target-tracking-10s,"
          + " step-scaling, predictive; or <= 0.05% of all viewer·s",
      TargetTrackingPolicy.NAME,
      List.of(UNSERVED_VS_TARGET_TRACKING, UNSERVED_VS_BEST_AWS, UNSERVED_SHARE)) {
    @Override
    Verdict judge(Function<SuiteRatio, Optional<Ratio>> ratios) {
      Optional<Ratio> share = ratios.apply(UNSERVED_SHARE);
      if (share.isPresent() && UNSERVED_SHARE.within(share.get())) {
        return Verdict.MET;
      }
      Optional<Ratio> tracking = ratios.apply(UNSERVED_VS_TARGET_TRACKING);
      if (tracking.isEmpty()) {
        return Verdict.NOT_JUDGED;
      }
      boolean met =
          UNSERVED_VS_TARGET_TRACKING.within(tracking.get())
              && ratios.apply(UNSERVED_VS_BEST_AWS).map(UNSERVED_VS_BEST_AWS::within).orElse(true);
      return met ? Verdict.MET : Verdict.MISSED;
    }
  },
  /** Cost at most 1.25x the oracle's. */
  COST("cost", "cost <= 1.25x the oracle's", OraclePolicy.NAME, List.of(COST_VS_ORACLE)),
  /** Slow viewer-seconds above the floor at most 20% of target tracking's. */
  SLOW(
      "slow",
      "slow above the floor <= 20% of target-tracking's",
      TargetTrackingPolicy.NAME,
      List.of(SLOW_VS_TARGET_TRACKING)),
  /** Unserved service viewer-seconds at most 5% of target tracking's. */
  SERVICE(
      "service",
      "service unserved <= 5% of target-tracking's",
      TargetTrackingPolicy.NAME,
      List.of(SERVICE_VS_TARGET_TRACKING)),
  /**
   * Liffey's routing loses no viewers that fixed routing serves: its unserved viewer-seconds at
   * most those of Liffey with the router off. A statement about the router, not about what reacting
   * can reach: no other policy is judged by it in Liffey's place.
   */
  ROUTING(
      "routing",
      "unserved <= Liffey's own with fixed routing (routing loses no viewers)",
      LiffeyPolicy.FIXED_ROUTING_NAME,
      List.of(UNSERVED_VS_FIXED_ROUTING)) {
    @Override
    public boolean boundByReacting() {
      return false;
    }
  };

  /** A target on one trace: met, missed, or not judged because a policy it needs was not run. */
  public enum Verdict {
    MET,
    MISSED,
    NOT_JUDGED
  }

  private final String key;
  private final String statement;
  private final String judgedAgainst;
  private final List<SuiteRatio> ratios;

  SuiteTarget(String key, String statement, String judgedAgainst, List<SuiteRatio> ratios) {
    this.key = key;
    this.statement = statement;
    this.judgedAgainst = judgedAgainst;
    this.ratios = ratios;
  }

  public String key() {
    return key;
  }

  /** The target in words. */
  public String statement() {
    return statement;
  }

  /** The policy without whose scorecard this target cannot be judged, besides Liffey's. */
  public String judgedAgainst() {
    return judgedAgainst;
  }

  /** The ratios it is judged from, the one that decides first. */
  public List<SuiteRatio> ratios() {
    return ratios;
  }

  /**
   * Whether another policy can be judged by this target in Liffey's place (the reactive oracle
   * shows which misses reacting alone cannot avoid); not for targets about Liffey's own parts.
   */
  public boolean boundByReacting() {
    return true;
  }

  /** The verdict from its one ratio (a target judged from several says how they combine). */
  Verdict judge(Function<SuiteRatio, Optional<Ratio>> ratios) {
    SuiteRatio ratio = this.ratios.get(0);
    return ratios
        .apply(ratio)
        .map(r -> ratio.within(r) ? Verdict.MET : Verdict.MISSED)
        .orElse(Verdict.NOT_JUDGED);
  }
}
