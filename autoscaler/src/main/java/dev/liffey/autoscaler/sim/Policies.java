package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.DemandOracle;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.autoscaler.engine.policy.PredictivePolicy;
import dev.liffey.autoscaler.engine.policy.StaticPolicy;
import dev.liffey.autoscaler.engine.policy.StepScalingPolicy;
import dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy;
import dev.liffey.autoscaler.engine.policy.WithLiffeyRouting;
import dev.liffey.core.config.EdgeConfig;
import java.util.List;

/** The policies a simulation can score, by name. */
public final class Policies {
  public static final List<String> NAMES =
      List.of(
          LiffeyPolicy.NAME,
          TargetTrackingPolicy.NAME,
          StaticPolicy.NAME,
          OraclePolicy.NAME,
          TargetTrackingPolicy.HIGH_RESOLUTION_NAME,
          StepScalingPolicy.NAME,
          PredictivePolicy.NAME,
          OraclePolicy.AT_TARGET_NAME,
          OraclePolicy.REACTIVE_NAME,
          LiffeyPolicy.FIXED_ROUTING_NAME,
          OraclePolicy.REROUTING_NAME,
          OraclePolicy.REROUTING_AT_TARGET_NAME,
          OraclePolicy.REACTIVE_REROUTING_NAME);

  private Policies() {}

  /**
   * The policies that decide from what has happened, seeing nothing of the trace ahead: Liffey, the
   * AWS baselines, and the oracles that react (every viewer seen as they arrive; incidents a
   * metrics period in). Static knows the trace's peak, and the other oracles the whole trace.
   */
  public static final List<String> REACTING =
      List.of(
          LiffeyPolicy.NAME,
          LiffeyPolicy.FIXED_ROUTING_NAME,
          TargetTrackingPolicy.NAME,
          TargetTrackingPolicy.HIGH_RESOLUTION_NAME,
          StepScalingPolicy.NAME,
          PredictivePolicy.NAME,
          OraclePolicy.REACTIVE_NAME,
          OraclePolicy.REACTIVE_REROUTING_NAME);

  /**
   * The scaling policies AWS offers (target tracking and what platform teams add to it), which
   * {@link BaselineRouting#LIFFEY} gives Liffey's router.
   */
  public static final List<String> AWS_POLICIES =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(TargetTrackingPolicy.NAME),
              SuiteRatio.AWS_BASELINES.stream())
          .toList();

  /** A fresh policy; {@code future} is what static and the oracles may see in advance. */
  public static ScalingPolicy create(String name, EdgeConfig config, DemandOracle future) {
    return create(name, config, future, BaselineRouting.FIXED);
  }

  /**
   * As {@link #create(String, EdgeConfig, DemandOracle)}, the AWS baselines routing as {@code
   * routing} says. Static and the oracles keep the configured weights: their capacity is planned
   * from the demand those weights send each region.
   */
  public static ScalingPolicy create(
      String name, EdgeConfig config, DemandOracle future, BaselineRouting routing) {
    ScalingPolicy policy = fixedRouting(name, config, future);
    return routing == BaselineRouting.LIFFEY && AWS_POLICIES.contains(name)
        ? new WithLiffeyRouting(config, policy)
        : policy;
  }

  /** Where a trace's viewers are when joins leave every region its incidents slow. */
  private static ReroutedDemand rerouted(EdgeConfig config, DemandOracle future, String policy) {
    TraceDemand trace = trace(future, policy);
    return new ReroutedDemand(config, trace.trace(), trace.start());
  }

  /** As {@link #rerouted}, each move in force once a router that reacts could have made it. */
  private static ReroutedDemand reroutedLate(
      EdgeConfig config, DemandOracle future, String policy) {
    TraceDemand trace = trace(future, policy);
    return ReroutedDemand.seenLate(config, trace.trace(), trace.start());
  }

  private static TraceDemand trace(DemandOracle future, String policy) {
    if (!(future instanceof TraceDemand trace)) {
      throw new IllegalArgumentException(
          policy + " plans from a trace's incidents: it needs one to replay");
    }
    return trace;
  }

  private static ScalingPolicy fixedRouting(String name, EdgeConfig config, DemandOracle future) {
    return switch (name) {
      case LiffeyPolicy.NAME -> new LiffeyPolicy(config);
      case LiffeyPolicy.FIXED_ROUTING_NAME -> LiffeyPolicy.withFixedRouting(config);
      case TargetTrackingPolicy.NAME -> new TargetTrackingPolicy(config);
      case TargetTrackingPolicy.HIGH_RESOLUTION_NAME -> TargetTrackingPolicy.highResolution(config);
      case StepScalingPolicy.NAME -> new StepScalingPolicy(config);
      case PredictivePolicy.NAME -> new PredictivePolicy(config);
      case StaticPolicy.NAME -> new StaticPolicy(config, future);
      case OraclePolicy.NAME -> new OraclePolicy(config, future);
      case OraclePolicy.AT_TARGET_NAME -> OraclePolicy.atTarget(config, future);
      case OraclePolicy.REACTIVE_NAME -> OraclePolicy.reactive(config, future);
      case OraclePolicy.REROUTING_NAME ->
          OraclePolicy.rerouting(config, future, rerouted(config, future, name));
      case OraclePolicy.REROUTING_AT_TARGET_NAME ->
          OraclePolicy.reroutingAtTarget(config, future, rerouted(config, future, name));
      case OraclePolicy.REACTIVE_REROUTING_NAME ->
          OraclePolicy.reactiveRerouting(config, future, reroutedLate(config, future, name));
      default ->
          throw new IllegalArgumentException(
              "unknown policy '" + name + "': use one of " + String.join(", ", NAMES));
    };
  }
}
