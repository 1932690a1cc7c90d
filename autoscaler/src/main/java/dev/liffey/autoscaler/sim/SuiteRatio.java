package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.autoscaler.engine.policy.PredictivePolicy;
import dev.liffey.autoscaler.engine.policy.StepScalingPolicy;
import dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The ratios Liffey's targets (issue 10) are stated in, each computed from one trace's scorecards.
 * A ratio whose policies were not run is empty: the suite runs whatever {@link Policies#NAMES}
 * holds, and says what it could not judge.
 */
public enum SuiteRatio {
  /** Unserved viewer-seconds, Liffey's over target tracking's (1-minute metrics). */
  UNSERVED_VS_TARGET_TRACKING(
      "unservedVsTargetTracking", "unserved / target-tracking", 0.05, true) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return ratio(cards, subject, TargetTrackingPolicy.NAME, Scorecard::unservedViewerSeconds);
    }
  },
  /** Unserved viewer-seconds, Liffey's over the fewest of the AWS baselines that were run. */
  UNSERVED_VS_BEST_AWS(
      "unservedVsBestAws", "unserved / best of 10s, step, predictive", 0.25, true) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      Scorecard liffey = cards.get(subject);
      OptionalDouble best =
          AWS_BASELINES.stream()
              .filter(cards::containsKey)
              .mapToDouble(p -> cards.get(p).unservedViewerSeconds())
              .min();
      return liffey == null || best.isEmpty()
          ? Optional.empty()
          : Optional.of(new Ratio(liffey.unservedViewerSeconds(), best.getAsDouble()));
    }
  },
  /**
   * Liffey's unserved viewer-seconds over every viewer-second of the trace (served and unserved).
   */
  UNSERVED_SHARE("unservedShare", "unserved share of all viewer·s", 0.0005, true) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      Scorecard liffey = cards.get(subject);
      return liffey == null
          ? Optional.empty()
          : Optional.of(
              new Ratio(
                  liffey.unservedViewerSeconds(),
                  liffey.unservedViewerSeconds() + liffey.servedViewerSeconds()));
    }
  },
  /**
   * Unserved viewer-seconds, Liffey's over the reactive oracle's (instant knowledge of now, no
   * foresight, target utilization): above 100% Liffey lost more than boot times force on a policy
   * that cannot see ahead; no target, it shows where the others cannot be reached by reacting.
   */
  UNSERVED_VS_REACTIVE_ORACLE(
      "unservedVsReactiveOracle", "unserved / oracle-reactive", Double.NaN, true) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return ratio(cards, subject, OraclePolicy.REACTIVE_NAME, Scorecard::unservedViewerSeconds);
    }
  },
  /**
   * Unserved viewer-seconds, Liffey's over Liffey's own with its router off (the weights as
   * configured): above 100% its routing lost viewers that fixed routing would have served.
   */
  UNSERVED_VS_FIXED_ROUTING(
      "unservedVsFixedRouting", "unserved / liffey-fixed-routing", 1.0, true) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return ratio(
          cards, subject, LiffeyPolicy.FIXED_ROUTING_NAME, Scorecard::unservedViewerSeconds);
    }

    /**
     * Less than a viewer-second more is no viewer lost: the simulator serves viewers as flows, and
     * two runs whose weights differed for a while end a fraction of a viewer-second apart
     * (204,590.3 against 204,590.0 on a 6-hour trace, no step apart by a whole one).
     */
    @Override
    double slack() {
      return 1;
    }
  },
  /** Cost, Liffey's over the oracle's (100% utilization: the cost floor for fixed routing). */
  COST_VS_ORACLE("costVsOracle", "cost / oracle", 1.25, false) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return ratio(cards, subject, OraclePolicy.NAME, Scorecard::costUsd);
    }
  },
  /** Cost, Liffey's over the oracle's at the target utilization (the fair reference; no target). */
  COST_VS_ORACLE_AT_TARGET("costVsOracleAtTarget", "cost / oracle-at-target", Double.NaN, false) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return ratio(cards, subject, OraclePolicy.AT_TARGET_NAME, Scorecard::costUsd);
    }
  },
  /**
   * Cost, Liffey's over the oracle's when its routed market's joins too leave every region an
   * incident slows past the SLO (no target): what avoiding the slowness the slow target asks a
   * router to avoid costs at the least, which the oracle's fixed routing never pays. The same as
   * {@link #COST_VS_ORACLE} on a trace without incidents.
   */
  COST_VS_ORACLE_REROUTING("costVsOracleRerouting", "cost / oracle-rerouting", Double.NaN, false) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return ratio(cards, subject, OraclePolicy.REROUTING_NAME, Scorecard::costUsd);
    }
  },
  /**
   * Cost, Liffey's over {@code oracle-rerouting}'s at the target utilization (no target): against
   * the least a policy keeping Liffey's headroom pays to move joins off every incident.
   */
  COST_VS_ORACLE_REROUTING_AT_TARGET(
      "costVsOracleReroutingAtTarget", "cost / oracle-rerouting-at-target", Double.NaN, false) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return ratio(cards, subject, OraclePolicy.REROUTING_AT_TARGET_NAME, Scorecard::costUsd);
    }
  },
  /**
   * Slow viewer-seconds above the floor no router can avoid once sessions are sticky, Liffey's over
   * target tracking's: (slow - floor) / (tracking's slow - floor), each at least 0. The floor is
   * Liffey's {@code slowFloorViewerSeconds} where the scorecard has that figure, else 0.
   */
  SLOW_VS_TARGET_TRACKING(
      "slowVsTargetTracking", "slow above floor / target-tracking", 0.20, true) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return slowAboveFloor(cards, subject, TargetTrackingPolicy.NAME);
    }
  },
  /**
   * Slow viewer-seconds above the floor, Liffey's over the reactive oracle's: viewers on relays
   * that fill while capacity boots are slow for any policy that cannot see ahead; no target, it
   * shows where the slow target cannot be reached by reacting.
   */
  SLOW_VS_REACTIVE_ORACLE(
      "slowVsReactiveOracle", "slow above floor / oracle-reactive", Double.NaN, true) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return slowAboveFloor(cards, subject, OraclePolicy.REACTIVE_NAME);
    }
  },
  /** Viewer-seconds above the EKS services' replicas, Liffey's over target tracking's. */
  SERVICE_VS_TARGET_TRACKING(
      "serviceUnservedVsTargetTracking", "service unserved / target-tracking", 0.05, true) {
    @Override
    Optional<Ratio> of(Map<String, Scorecard> cards, String subject) {
      return ratio(
          cards, subject, TargetTrackingPolicy.NAME, Scorecard::unservedServiceViewerSeconds);
    }
  };

  /** The baselines AWS offers beyond 1-minute target tracking, by the names issue 10 gives them. */
  public static final List<String> AWS_BASELINES =
      List.of(
          TargetTrackingPolicy.HIGH_RESOLUTION_NAME, StepScalingPolicy.NAME, PredictivePolicy.NAME);

  /**
   * The scorecard figure for the slow viewer-seconds that sticky sessions make unavoidable, once it
   * exists.
   */
  public static final String SLOW_FLOOR = "slowFloorViewerSeconds";

  private final String key;
  private final String label;
  private final double limit;
  private final boolean percent;

  SuiteRatio(String key, String label, double limit, boolean percent) {
    this.key = key;
    this.label = label;
    this.limit = limit;
    this.percent = percent;
  }

  /** The name in JSON. */
  public String key() {
    return key;
  }

  /** The column heading. */
  public String label() {
    return label;
  }

  /**
   * The most issue 10 allows (see {@link SuiteTarget} for how bounds combine); empty for a ratio
   * only reported.
   */
  public OptionalDouble limit() {
    return Double.isNaN(limit) ? OptionalDouble.empty() : OptionalDouble.of(limit);
  }

  /** Whether a ratio is within this one's limit (true when it has none). */
  public boolean within(Ratio r) {
    return Double.isNaN(limit) || r.atMost(limit, slack());
  }

  /** How much more than the limit allows is still within it, in the figures' unit: none. */
  double slack() {
    return 0;
  }

  /** Shown as a percentage (else as a multiple). */
  public boolean percent() {
    return percent;
  }

  /** Liffey's ratio on one trace, or empty when a policy it needs was not run. */
  Optional<Ratio> of(Map<String, Scorecard> cards) {
    return of(cards, LiffeyPolicy.NAME);
  }

  /**
   * The ratio of {@code subject}'s scorecard (in Liffey's place) on one trace, or empty when a
   * policy it needs was not run: how another policy would fare against Liffey's targets.
   */
  abstract Optional<Ratio> of(Map<String, Scorecard> cards, String subject);

  private static Optional<Ratio> ratio(
      Map<String, Scorecard> cards,
      String subject,
      String baseline,
      ToDoubleFunction<Scorecard> figure) {
    Scorecard liffey = cards.get(subject);
    Scorecard other = cards.get(baseline);
    return liffey == null || other == null
        ? Optional.empty()
        : Optional.of(new Ratio(figure.applyAsDouble(liffey), figure.applyAsDouble(other)));
  }

  /**
   * (slow - floor) over the baseline's (slow - floor), each at least 0, with the subject's floor (0
   * if unreported).
   */
  private static Optional<Ratio> slowAboveFloor(
      Map<String, Scorecard> cards, String subject, String baseline) {
    Scorecard liffey = cards.get(subject);
    Scorecard other = cards.get(baseline);
    if (liffey == null || other == null) {
      return Optional.empty();
    }
    double floor = figure(liffey, SLOW_FLOOR).orElse(0);
    return Optional.of(
        new Ratio(
            Math.max(0, liffey.slowViewerSeconds() - floor),
            Math.max(0, other.slowViewerSeconds() - floor)));
  }

  /**
   * Whether this build's {@link Scorecard} reports the slow floor (else the slow ratio takes a
   * floor of 0).
   */
  public static boolean slowFloorReported() {
    return Stream.of(Scorecard.class.getRecordComponents())
        .anyMatch(c -> c.getName().equals(SLOW_FLOOR));
  }

  /** A numeric scorecard figure by name, if this build's {@link Scorecard} has it. */
  static OptionalDouble figure(Scorecard card, String name) {
    for (RecordComponent c : Scorecard.class.getRecordComponents()) {
      if (c.getName().equals(name)) {
        try {
          return c.getAccessor().invoke(card) instanceof Number n
              ? OptionalDouble.of(n.doubleValue())
              : OptionalDouble.empty();
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read Scorecard." + name, e);
        }
      }
    }
    return OptionalDouble.empty();
  }
}
