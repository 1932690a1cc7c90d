package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.autoscaler.engine.plan.FleetSizing;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Replays a trace against one policy through the real {@link ControlLoop}, on simulated time, and
 * scores it. Every policy starts converged: fleets in service at what the trace's first moment
 * needs at the target utilization, then raised to the policy's own first decision.
 */
public final class Simulation {
  /** Where simulated time starts unless told otherwise. */
  public static final Instant DEFAULT_START = Instant.parse("2026-12-01T18:00:00Z");

  private final EdgeConfig config;
  private final Trace trace;
  private final Instant start;
  private final Duration longestStep;

  public Simulation(EdgeConfig config, Trace trace, Instant start) {
    this(config, trace, start, null);
  }

  /**
   * @param longestStep serve demand in steps no longer than this (null: {@link
   *     SimulatedCloud#RETRY_AFTER}); see {@link SimulatedCloud#SimulatedCloud(EdgeConfig, Trace,
   *     Instant, Duration)}
   */
  public Simulation(EdgeConfig config, Trace trace, Instant start, Duration longestStep) {
    this.config = config;
    this.trace = trace;
    this.start = start;
    this.longestStep = longestStep;
  }

  public Scorecard run(String policyName) {
    return run(policyName, BaselineRouting.FIXED);
  }

  /** Runs a policy by name, the AWS baselines routing as {@code routing} says. */
  public Scorecard run(String policyName, BaselineRouting routing) {
    return run(
        () -> Policies.create(policyName, config, new TraceDemand(trace, start), routing), d -> {});
  }

  /**
   * Runs one policy; {@code onDecision} sees every tick's decision. {@code policy} makes the
   * policy, and makes it again, afresh, for the run without the trace's bots that counts the
   * capacity it bought for them (a trace with none asks once).
   */
  public Scorecard run(Supplier<? extends ScalingPolicy> policy, Consumer<Decision> onDecision) {
    Prepared p = prepare(policy);
    while (p.hasNext()) {
      onDecision.accept(p.tick());
    }
    return p.scorecard();
  }

  /**
   * A simulation ready to be stepped one tick at a time (the daemon's simulate mode drives it so).
   * {@code policy} makes the policy; with bots in the trace, it is asked again for the run without
   * them ({@link Prepared#scorecard}).
   */
  public Prepared prepare(Supplier<? extends ScalingPolicy> policy) {
    Supplier<Prepared> withoutBots =
        trace.hasBots() ? () -> start(policy.get(), trace.withoutBots(), null) : null;
    return start(policy.get(), trace, withoutBots);
  }

  /**
   * {@code policy} on {@code replayed}, converged; {@code withoutBots} as {@link Prepared} has it.
   */
  private Prepared start(ScalingPolicy policy, Trace replayed, Supplier<Prepared> withoutBots) {
    SimulatedCloud cloud = new SimulatedCloud(config, replayed, start, longestStep);
    cloud.startWith(initialUnits(replayed));
    InMemoryControlStore store = new InMemoryControlStore(ControlState.EMPTY);
    ControlLoop loop = new ControlLoop(policy, cloud, cloud, cloud, cloud, store, cloud, false);
    Decision first = loop.tick();
    Map<FleetId, Integer> converged = new HashMap<>();
    for (FleetPlan plan : first.fleets()) {
      converged.put(plan.fleet(), plan.target());
    }
    cloud.startWith(converged);
    return new Prepared(policy, cloud, loop, store, config.scaling().tick(), withoutBots);
  }

  /**
   * What the trace's first moment needs, at the target utilization, with the configured weights.
   */
  private Map<FleetId, Integer> initialUnits(Trace replayed) {
    FleetCatalog catalog = new FleetCatalog(config);
    double utilization = config.scaling().targetUtilization();
    Map<String, Double> byMarket = new HashMap<>();
    for (Market m : config.markets()) {
      byMarket.put(m.code(), replayed.valueAt(TraceKind.VIEWERS, m.code(), 0));
    }
    Map<String, Double> byRegion =
        new ViewerRouting(config).viewersByRegion(byMarket, config.routing().initialWeights());
    Map<FleetId, Integer> units = new HashMap<>();
    for (FleetSpec s : catalog.all()) {
      String region = s.id().region();
      if (s.id().kind() != FleetKind.TRANSCODE) {
        units.put(s.id(), s.clamp(s.unitsFor(byRegion.get(region), utilization)));
      }
    }
    for (String region : config.regionIds()) {
      units.putAll(
          FleetSizing.transcodeUnits(
              catalog.inRegion(region, FleetKind.TRANSCODE),
              replayed.valueAt(TraceKind.STREAMS, region, 0),
              utilization));
    }
    return units;
  }

  /** A running simulation. Not thread-safe. */
  public static final class Prepared {
    private final ScalingPolicy policy;
    private final SimulatedCloud cloud;
    private final ControlLoop loop;
    private final InMemoryControlStore store;
    private final Duration tick;
    private final Instant end;

    /**
     * Starts the same policy, made afresh, on the trace without its bots; null when it has none.
     */
    private final Supplier<Prepared> withoutBots;

    /** That run, stepped as far as this one has gone when a scorecard is asked for. */
    private Prepared counterfactual;

    Prepared(
        ScalingPolicy policy,
        SimulatedCloud cloud,
        ControlLoop loop,
        InMemoryControlStore store,
        Duration tick,
        Supplier<Prepared> withoutBots) {
      this.policy = policy;
      this.cloud = cloud;
      this.loop = loop;
      this.store = store;
      this.tick = tick;
      this.withoutBots = withoutBots;
      this.end = cloud.start().plus(cloud.trace().length());
    }

    public boolean hasNext() {
      return cloud.now().isBefore(end);
    }

    /** Decides and acts at the current instant, then serves one tick of demand. */
    public Decision tick() {
      Decision d = loop.tick();
      // What the transcoder agents apply: the plans written to the control store, not the decision.
      cloud.applyLadders(
          store.read().ladders().values().stream().map(ControlState.LaddersInForce::plan).toList());
      cloud.step(tick);
      return d;
    }

    /**
     * The scorecard so far. With bots in the trace, the capacity bought for them is counted against
     * the same policy on the trace without them, stepped to the same moment (a second simulation,
     * run alongside as scorecards are asked for): the relay instance-hours billed here less those
     * billed there. Exact where a count of relays above the need while bots were there was not: a
     * spike's own overshoot is not the bots'.
     */
    public Scorecard scorecard() {
      return cloud.scorecard(policy.name(), botCapacityInstanceHours());
    }

    private double botCapacityInstanceHours() {
      if (withoutBots == null) {
        return 0;
      }
      if (counterfactual == null) {
        counterfactual = withoutBots.get();
      }
      while (counterfactual.cloud.now().isBefore(cloud.now())) {
        counterfactual.tick();
      }
      return Math.max(0, cloud.relayInstanceHours() - counterfactual.cloud.relayInstanceHours());
    }

    public SimulatedCloud cloud() {
      return cloud;
    }

    public InMemoryControlStore controlStore() {
      return store;
    }
  }
}
