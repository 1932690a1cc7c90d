package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.DemandOracle;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.RoutingPlan;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.autoscaler.engine.plan.FleetSizing;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Knows the whole trace, keeps at every instant the least in-service capacity that serves all
 * demand at one utilization, and launches each unit exactly one boot time ahead (warm boot while
 * its pool has instances, cold beyond). Fixed routing. {@link #NAME} plans at 100% utilization: the
 * physical limit on cost, which no real policy can beat while serving everyone (its relays run
 * full, so its viewers are slow). {@link #AT_TARGET_NAME} plans at {@code
 * scaling.targetUtilization}, the headroom every real policy keeps: the fair reference for cost.
 * {@link #REACTIVE_NAME} knows every viewer the moment they arrive (no metric lag) but nothing
 * ahead, and plans at the target utilization: what boot times alone cost a policy without
 * foresight, the floor of unserved for any reactive policy that keeps no more headroom than the
 * target. {@link #REROUTING_NAME} moves the routed market's joins off every region an incident
 * slows, as the slow target asks a router to, and pays for the sessions that stay there; {@link
 * #REROUTING_AT_TARGET_NAME} does so at the target utilization: the least a policy that both keeps
 * the headroom and moves joins off incidents can cost. {@link #REACTIVE_REROUTING_NAME} is {@link
 * #REACTIVE_NAME} whose joins leave each incident once a router that reacts could have moved them
 * (its first metrics period seen, the weights then in force a DNS delay later): the least a policy
 * without foresight that moves joins off incidents can cost.
 */
public final class OraclePolicy implements ScalingPolicy {
  public static final String NAME = "oracle";
  public static final String AT_TARGET_NAME = "oracle-at-target";
  public static final String REACTIVE_NAME = "oracle-reactive";
  public static final String REROUTING_NAME = "oracle-rerouting";
  public static final String REROUTING_AT_TARGET_NAME = "oracle-rerouting-at-target";
  public static final String REACTIVE_REROUTING_NAME = "oracle-reactive-rerouting";
  private final String name;
  private final boolean foresight;
  private final double utilization;
  private final EdgeConfig config;
  private final FleetCatalog catalog;
  private final FutureDemand demand;
  private final DemandOracle oracle;
  private final Duration step;

  /** The schedule the routed market's joins follow; null: the configured weights. */
  private final RoutedDemand routed;

  /**
   * Per relay and service fleet, the units it needs at each step of the demand's span: the same
   * every tick, so worked out once, not at every moment of every horizon of every tick.
   */
  private final Map<FleetId, int[]> unitsByStep = new HashMap<>();

  /** Per region, its GPU groups' units at each step, for a region EC2 never runs short in. */
  private final Map<String, Map<FleetId, int[]>> gpuUnitsByStep = new HashMap<>();

  /** The oracle at 100% utilization, the cost floor. */
  public OraclePolicy(EdgeConfig config, DemandOracle oracle) {
    this(config, oracle, NAME, 1.0, true, null);
  }

  private OraclePolicy(
      EdgeConfig config,
      DemandOracle oracle,
      String name,
      double utilization,
      boolean foresight,
      RoutedDemand routed) {
    this.name = name;
    this.routed = routed;
    this.foresight = foresight;
    this.utilization = utilization;
    this.config = config;
    this.catalog = new FleetCatalog(config);
    this.oracle = oracle;
    this.demand =
        new FutureDemand(
            config, oracle, config.scaling().tick(), catalog.longestColdBoot(), routed);
    this.step = config.scaling().tick();
  }

  /** The oracle at {@code scaling.targetUtilization}, the fair reference for cost. */
  public static OraclePolicy atTarget(EdgeConfig config, DemandOracle oracle) {
    return new OraclePolicy(
        config, oracle, AT_TARGET_NAME, config.scaling().targetUtilization(), true, null);
  }

  /**
   * Instant, perfect knowledge of the present and none of the future, at {@code
   * scaling.targetUtilization}.
   */
  public static OraclePolicy reactive(EdgeConfig config, DemandOracle oracle) {
    return new OraclePolicy(
        config, oracle, REACTIVE_NAME, config.scaling().targetUtilization(), false, null);
  }

  /**
   * The oracle at 100% utilization whose routed market's joins follow {@code routed}'s schedule (it
   * sets each change a DNS delay ahead, so it is in force on time), its capacity where that
   * schedule puts the viewers.
   */
  public static OraclePolicy rerouting(
      EdgeConfig config, DemandOracle oracle, RoutedDemand routed) {
    return new OraclePolicy(config, oracle, REROUTING_NAME, 1.0, true, routed);
  }

  /**
   * {@link #rerouting} at {@code scaling.targetUtilization}: where the cost target cannot be met by
   * a policy that keeps the headroom and avoids what the slow target asks it to avoid, this costs
   * more than the cost limit too.
   */
  public static OraclePolicy reroutingAtTarget(
      EdgeConfig config, DemandOracle oracle, RoutedDemand routed) {
    return new OraclePolicy(
        config,
        oracle,
        REROUTING_AT_TARGET_NAME,
        config.scaling().targetUtilization(),
        true,
        routed);
  }

  /**
   * {@link #reactive} whose routed market's joins follow {@code routed}'s schedule, the weights set
   * as a router that reacts would set them: where the cost target cannot be met by a policy without
   * foresight that avoids what the slow target asks it to avoid, this costs more than the cost
   * limit too.
   */
  public static OraclePolicy reactiveRerouting(
      EdgeConfig config, DemandOracle oracle, RoutedDemand routed) {
    return new OraclePolicy(
        config,
        oracle,
        REACTIVE_REROUTING_NAME,
        config.scaling().targetUtilization(),
        false,
        routed);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Decision decide(Observation obs) {
    Instant now = obs.now();
    List<FleetPlan> plans = new ArrayList<>();
    for (String region : config.regionIds()) {
      for (FleetSpec s : catalog.inRegion(region, FleetKind.RELAY)) {
        int[] units = unitsByStep(s);
        plans.add(plan(obs, s, t -> units[demand.index(t)]));
      }
      // The GPU groups' split of a moment's streams depends on what they hold now where EC2 runs
      // short of a type: then it is worked out once a tick for each moment their horizons look at.
      List<FleetSpec> pools = catalog.inRegion(region, FleetKind.TRANSCODE);
      // Each group's state, looked up once a tick rather than at every moment of every horizon.
      List<FleetState> states = new ArrayList<>(pools.size());
      for (FleetSpec p : pools) {
        states.add(obs.fleets().get(p.id()));
      }
      if (pools.stream().noneMatch(p -> demand.everShort(p.id()))) {
        // EC2 never runs short of them: each moment's split but now's is the same every tick.
        Map<FleetId, Integer> atNow =
            gpuUnits(pools, states, obs, demand.streams(region, now), now);
        Map<FleetId, int[]> byStep = gpuUnitsByStep(region, pools);
        for (FleetSpec s : pools) {
          int[] units = byStep.get(s.id());
          int unitsNow = atNow.get(s.id());
          plans.add(plan(obs, s, t -> t.equals(now) ? unitsNow : units[demand.index(t)]));
        }
      } else {
        Map<Instant, Map<FleetId, Integer>> gpuUnits = new HashMap<>();
        for (FleetSpec s : pools) {
          plans.add(
              plan(
                  obs,
                  s,
                  t ->
                      gpuUnits
                          .computeIfAbsent(
                              t, x -> gpuUnits(pools, states, obs, demand.streams(region, x), x))
                          .get(s.id())));
        }
      }
      for (FleetSpec s : catalog.inRegion(region, FleetKind.SERVICE)) {
        int[] units = unitsByStep(s);
        plans.add(plan(obs, s, t -> units[demand.index(t)]));
      }
    }
    return new Decision(now, name, plans, routing(obs));
  }

  /** The weights that must be in force a DNS delay from now, set now; none: fixed routing. */
  private Optional<RoutingPlan> routing(Observation obs) {
    if (routed == null) {
      return Optional.empty();
    }
    String market = config.routing().market();
    Map<String, Integer> target =
        routed.weightsInForce(obs.now().plus(config.routing().steersAfter()));
    Map<String, Integer> current = new LinkedHashMap<>();
    target.keySet().forEach(r -> current.put(r, obs.weights().getOrDefault(r, 0)));
    return Optional.of(
        new RoutingPlan(
            market,
            current,
            target,
            name + ": " + market + " joins " + target + " once the DNS delay has passed"));
  }

  /** The units a relay or service fleet needs at each step, for its region's viewers then. */
  private int[] unitsByStep(FleetSpec s) {
    return unitsByStep.computeIfAbsent(
        s.id(),
        id -> {
          int[] units = new int[demand.steps()];
          for (int i = 0; i < units.length; i++) {
            units[i] = s.clamp(s.unitsFor(demand.viewers(id.region(), demand.at(i)), utilization));
          }
          return units;
        });
  }

  private Map<FleetId, int[]> gpuUnitsByStep(String region, List<FleetSpec> pools) {
    return gpuUnitsByStep.computeIfAbsent(
        region,
        r -> {
          // With no shortage EC2 runs every group as configured: the pools as they are.
          Map<FleetId, int[]> out = new HashMap<>();
          pools.forEach(p -> out.put(p.id(), new int[demand.steps()]));
          for (int i = 0; i < demand.steps(); i++) {
            int step = i;
            FleetSizing.transcodeUnits(pools, demand.streams(r, demand.at(i)), utilization)
                .forEach((id, n) -> out.get(id)[step] = n);
          }
          return out;
        });
  }

  /** Units per GPU group to carry {@code streams} at {@code t}. */
  private Map<FleetId, Integer> gpuUnits(
      List<FleetSpec> pools, List<FleetState> states, Observation obs, double streams, Instant t) {
    Map<FleetId, Integer> units =
        FleetSizing.transcodeUnits(
            asEc2WillRunThem(pools, states, obs.now(), t), streams, utilization);
    if (t.equals(obs.now())) {
      // A group keeps the instances now's streams need while another's are still booting (after
      // a shortage, the preferred type's return).
      List<FleetSpec> inService = new ArrayList<>(pools.size());
      for (int i = 0; i < pools.size(); i++) {
        FleetSpec p = pools.get(i);
        FleetState state = states.get(i);
        inService.add(FleetSizing.atMost(p, state == null ? 0 : state.inService()));
      }
      FleetSizing.transcodeUnits(inService, streams, utilization)
          .forEach((id, n) -> units.merge(id, n, Math::max));
    }
    return units;
  }

  /**
   * The GPU groups as EC2 will run them at {@code t}: a type short then, or when an instance would
   * have had to launch to serve by then (a boot earlier: warm while the pool has instances), keeps
   * what the group holds now (EC2 takes no running instance back) and gets no more, so the next
   * type takes the rest, until the type's own instances are in service after the shortage.
   */
  private List<FleetSpec> asEc2WillRunThem(
      List<FleetSpec> pools, List<FleetState> states, Instant now, Instant t) {
    List<FleetSpec> out = new ArrayList<>(pools.size());
    for (int i = 0; i < pools.size(); i++) {
      FleetSpec p = pools.get(i);
      FleetState state = states.get(i);
      Duration boot = state != null && state.warm() > 0 ? p.warmBoot() : p.coldBoot();
      int available =
          Math.min(demand.available(p.id(), t), demand.available(p.id(), t.minus(boot)));
      // Instances still booting serve from a boot on at the latest.
      int held =
          state == null
              ? 0
              : t.isBefore(now.plus(boot)) ? state.inService() : FleetSizing.held(state);
      out.add(FleetSizing.atMost(p, Math.max(available, held)));
    }
    return out;
  }

  private FleetPlan plan(Observation obs, FleetSpec spec, Function<Instant, Integer> demandAt) {
    FleetState state = obs.fleets().get(spec.id());
    Instant now = obs.now();
    // Without foresight every moment ahead looks like now.
    Function<Instant, Integer> need = foresight ? demandAt : t -> demandAt.apply(now);
    int warm = state == null ? 0 : state.warm();
    // A unit launched now serves from the first step after its boot: look that far ahead.
    int soon = highest(need, now, now.plus(wholeSteps(spec.warmBoot())));
    int later = highest(need, now, now.plus(wholeSteps(spec.coldBoot())));
    int target = Math.max(soon, later - warm);
    int current = state == null ? spec.min() : state.desired();
    String kept = "";
    if (foresight && target < current && spec.id().kind() == FleetKind.RELAY) {
      // A relay taken out keeps its viewers, billed, until the last of them leaves: it costs what
      // keeping it would until then, so it goes only if no moment before then needs it again.
      Instant emptied = emptiedBy(spec, state, now);
      int again = Math.min(current, highest(need, now, emptied));
      if (again > target) {
        target = again;
        kept =
            ", kept for "
                + again
                + " needed again before a relay taken out would empty (t+"
                + Duration.between(now, emptied).toSeconds()
                + "s)";
      }
    }
    // The group resumes pool instances first, whatever the horizon: keep the pool as large as the
    // growth ahead, a cold boot early (stopped instances cost only their volumes).
    int growth = highest(need, now, now.plus(wholeSteps(spec.coldBoot()).multipliedBy(2))) - target;
    int pool =
        spec.id().kind() == FleetKind.SERVICE
            ? 0
            : Math.max(0, Math.min(spec.max() - target, Math.max(spec.warmPoolSize(), growth)));
    return new FleetPlan(
        spec.id(),
        current,
        target,
        pool,
        (target == current ? "hold " : "set ")
            + spec.id()
            + " "
            + current
            + "→"
            + target
            + ": "
            + name
            + String.format(
                Locale.ROOT,
                ", least capacity at %.0f%%" + " utilization for %s",
                utilization * 100,
                foresight ? "the next " + spec.coldBoot().toSeconds() + "s" : "now")
            + kept);
  }

  /**
   * When a relay of {@code spec} taken out now would hold no viewer: its share of the region's
   * viewers leaves as sessions end (as slowly as the slowest-leaving market it serves) and as the
   * audience shrinks, and whoever is left goes at the drain's end.
   */
  private Instant emptiedBy(FleetSpec spec, FleetState state, Instant now) {
    String region = spec.id().region();
    Duration drain = config.region(region).relay().drainTimeout();
    double here = demand.viewers(region, now);
    if (state == null || state.inService() == 0 || here <= 0) {
      return now;
    }
    List<DoubleUnaryOperator> served = new ArrayList<>();
    for (Market m : config.markets()) {
      if (m.servedBy().stream().anyMatch(s -> s.regionId().equals(region))) {
        served.add(oracle.stillWatching(m.code(), now));
      }
    }
    double each = here / state.inService();
    double lowest = here;
    Instant until = now.plus(drain);
    for (Instant t = now.plus(step); t.isBefore(until); t = t.plus(step)) {
      lowest = Math.min(lowest, demand.viewers(region, t));
      double seconds = Duration.between(now, t).toSeconds();
      double staying = 0;
      for (DoubleUnaryOperator market : served) {
        staying = Math.max(staying, market.applyAsDouble(seconds));
      }
      if (each * staying * lowest / here < 1) {
        return t;
      }
    }
    return until;
  }

  private Duration wholeSteps(Duration boot) {
    long steps = (boot.toMillis() + step.toMillis() - 1) / step.toMillis();
    return step.multipliedBy(steps);
  }

  private int highest(Function<Instant, Integer> need, Instant from, Instant to) {
    int max = 0;
    for (Instant t = from; !t.isAfter(to); t = t.plus(step)) {
      max = Math.max(max, need.apply(t));
    }
    return Math.max(max, need.apply(to));
  }
}
