package dev.liffey.autoscaler.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One tick of the control loop: sense, decide, record, act. Every input is read on its own and
 * fails alone: what could not be read is left out (and named in the {@link TickReport}), what was
 * read is acted on. Routing unreadable: routing holds, capacity is still planned. Control table
 * unreadable: the last state read (for {@link Settings#lastKnownControlFor()}) with no scale-in and
 * no routing change; beyond that, nothing is acted on. The audit record is written before any
 * actuation (warm pool changes included); if it cannot be written, nothing is acted on. Before each
 * actuation the {@link Fence} is asked whether this replica may still act. What was done is
 * recorded even when a later actuation fails. With {@code dryRun} it decides and records but never
 * actuates. Not thread-safe: one loop, one thread.
 */
public final class ControlLoop {
  /** The inputs a tick reads, as its report's unread lines begin. */
  public static final String CONTROL_TABLE = "control table";

  public static final String METRICS = "metrics";
  public static final String GROUPS = "Auto Scaling groups";
  public static final String SERVICES = "Kubernetes services";
  public static final String WEIGHTS = "routing weights";
  public static final List<String> INPUTS =
      List.of(CONTROL_TABLE, METRICS, GROUPS, SERVICES, WEIGHTS);

  private final ScalingPolicy policy;
  private final MetricsSource metrics;
  private final FleetActuator fleetActuator;
  private final WorkloadActuator workloadActuator;
  private final RoutingActuator routingActuator;
  private final ControlStore controlStore;
  private final Clock clock;
  private final Settings settings;

  // The last good read of each input, for the ticks when it cannot be read.
  private ControlState lastControl;
  private Instant lastControlAt;
  private Map<String, Integer> lastWeights = Map.of();
  private final Map<FleetId, FleetState> lastFleets = new HashMap<>();

  /**
   * How the loop reads and degrades.
   *
   * @param dryRun decide and record, never act
   * @param sanity which metric values are refused as impossible
   * @param lastKnownControlFor how long the last control-table state read may stand in for an
   *     unreadable table (scale-out only); beyond it nothing is acted on
   * @param reads runs the five reads of a tick in parallel; empty to read them one after another
   */
  public record Settings(
      boolean dryRun, MetricSanity sanity, Duration lastKnownControlFor, Optional<Executor> reads) {
    /** Sequential reads, finite metrics only, the last control state good for 15 minutes. */
    public static Settings of(boolean dryRun) {
      return new Settings(dryRun, MetricSanity.FINITE, Duration.ofMinutes(15), Optional.empty());
    }
  }

  public ControlLoop(
      ScalingPolicy policy,
      MetricsSource metrics,
      FleetActuator fleetActuator,
      WorkloadActuator workloadActuator,
      RoutingActuator routingActuator,
      ControlStore controlStore,
      Clock clock,
      boolean dryRun) {
    this(
        policy,
        metrics,
        fleetActuator,
        workloadActuator,
        routingActuator,
        controlStore,
        clock,
        Settings.of(dryRun));
  }

  public ControlLoop(
      ScalingPolicy policy,
      MetricsSource metrics,
      FleetActuator fleetActuator,
      WorkloadActuator workloadActuator,
      RoutingActuator routingActuator,
      ControlStore controlStore,
      Clock clock,
      Settings settings) {
    this.policy = policy;
    this.metrics = metrics;
    this.fleetActuator = fleetActuator;
    this.workloadActuator = workloadActuator;
    this.routingActuator = routingActuator;
    this.controlStore = controlStore;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * What the policy decides now, sensing as a tick does; nothing is recorded or changed (on-call's
   * plan).
   */
  public Decision plan() {
    Sensed s = sense(Fence.NONE);
    return restrict(policy.decide(s.observation), s);
  }

  /** Sense, decide, record (before acting), act, with no deadline and no leader election. */
  public Decision tick() {
    return tick(Fence.NONE).decision();
  }

  /**
   * One tick under {@code fence}. Read failures, refused metrics, failed and abandoned actuations
   * are in the report; only a failure to write the audit record is thrown (and then nothing was
   * acted on).
   */
  public TickReport tick(Fence fence) {
    Sensed s = sense(fence);
    Instant now = s.observation.now();
    Decision decision = restrict(policy.decide(s.observation), s);
    List<Actuation> todo = actuations(decision, s.observation.fleets());
    Optional<RoutingPlan> route = decision.routing().filter(RoutingPlan::changes);
    List<LadderPlan> ladders = decision.ladders().stream().filter(LadderPlan::changes).toList();
    Map<String, ControlState.LaddersInForce> inForce = s.observation.control().ladders();
    if (todo.isEmpty() && route.isEmpty() && ladders.isEmpty()) {
      return s.report(decision, "", List.of(), Optional.empty(), List.of(), Optional.empty());
    }
    String who = "liffey-autoscaler (" + policy.name() + ")";
    String why = why(decision, todo);
    Optional<String> refused = fence.refusal();
    if (refused.isPresent()) {
      return s.report(
          decision,
          why,
          List.of(),
          Optional.empty(),
          List.of(),
          refused.map(r -> r + ": nothing done"));
    }
    try {
      controlStore.audit(
          new AuditRecord(
              now,
              who,
              settings.dryRun() ? "plan (dry run)" : "scale",
              why,
              describe(todo, route, true, ladders, inForce),
              describe(todo, route, false, ladders, inForce),
              fence.token()));
    } catch (FencedOut e) {
      return s.report(
          decision, why, List.of(), Optional.empty(), List.of(), Optional.of(e.getMessage()));
    }
    if (settings.dryRun()) {
      return s.report(decision, why, List.of(), Optional.empty(), List.of(), Optional.empty());
    }
    List<Actuation> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> chosen = new ArrayList<>();
    Optional<String> abandoned = Optional.empty();
    Optional<RoutingPlan> routed = Optional.empty();
    try {
      for (Actuation a : todo) {
        abandoned =
            fence
                .refusal()
                .map(
                    r ->
                        r
                            + ": "
                            + (todo.size() - done.size() - failed.size())
                            + " of "
                            + todo.size()
                            + " fleet changes"
                            + route.map(x -> " and the routing change").orElse("")
                            + " not made");
        if (abandoned.isPresent()) {
          break;
        }
        try {
          act(a).ifPresent(chosen::add);
          done.add(a);
        } catch (RuntimeException e) {
          failed.add(a.fleet() + " " + a.describe(false) + ": " + message(e));
        }
      }
      if (route.isPresent() && abandoned.isEmpty()) {
        abandoned = fence.refusal().map(r -> r + ": the routing change not made");
        if (abandoned.isEmpty()) {
          try {
            routingActuator.setWeights(route.get().target());
            routed = route;
          } catch (RuntimeException e) {
            failed.add(
                "routing "
                    + route.get().market()
                    + " weights "
                    + route.get().target()
                    + ": "
                    + message(e));
          }
        }
      }
      if (!ladders.isEmpty() && abandoned.isEmpty()) {
        abandoned = fence.refusal().map(r -> r + ": the ladder plans not written");
        if (abandoned.isEmpty()) {
          try {
            // After the fleets: a plan that cannot be written is made again next tick.
            controlStore.recordLadders(now, ladders, fence.token());
          } catch (FencedOut e) {
            abandoned = Optional.of(e.getMessage());
          } catch (RuntimeException e) {
            failed.add(
                "ladders "
                    + ladders.stream().map(LadderPlan::region).toList()
                    + " not written: "
                    + message(e));
          }
        }
      }
    } finally {
      if (done.stream().anyMatch(Actuation::changesDesired)) {
        try {
          controlStore.recordActions(now, done, fence.token());
        } catch (FencedOut e) {
          abandoned = Optional.of(e.getMessage());
        } catch (RuntimeException e) {
          failed.add("recording the last actions: " + message(e));
        }
      }
    }
    if (!chosen.isEmpty()) {
      try {
        controlStore.audit(
            new AuditRecord(
                clock.now(),
                who,
                "chose",
                String.join("; ", chosen),
                describe(todo, route, true),
                describe(done, routed, false),
                fence.token()));
      } catch (RuntimeException e) {
        failed.add("auditing which instances were removed: " + message(e));
      }
    }
    if (!failed.isEmpty()) {
      try {
        controlStore.audit(
            new AuditRecord(
                clock.now(),
                who,
                "failed",
                String.join("; ", failed),
                describe(todo, route, true),
                describe(done, routed, false),
                fence.token()));
      } catch (RuntimeException e) {
        failed.add("auditing the failures: " + message(e));
      }
    }
    return s.report(decision, why, done, routed, failed, abandoned);
  }

  private Sensed sense(Fence fence) {
    Instant now = clock.now();
    List<String> unread = new ArrayList<>();
    // Start every read, then collect each within what is left of the tick.
    CompletableFuture<ControlState> control = start(controlStore::read);
    CompletableFuture<Metrics> sensed = start(metrics::read);
    CompletableFuture<List<FleetState>> groups = start(fleetActuator::fleets);
    CompletableFuture<List<FleetState>> services = start(workloadActuator::services);
    CompletableFuture<Map<String, Integer>> weights = start(routingActuator::weights);

    Optional<ControlState> read = collect(CONTROL_TABLE, control, fence, unread);
    ControlState state;
    List<String> controlProblems = new ArrayList<>();
    Access access;
    if (read.isPresent()) {
      state = read.get();
      controlProblems.addAll(state.problems());
      lastControl = state;
      lastControlAt = now;
      access = Access.FULL;
    } else if (lastControl != null
        && !lastControlAt.plus(settings.lastKnownControlFor()).isBefore(now)) {
      state = lastControl;
      controlProblems.add(
          "control table: acting on the state read at "
              + lastControlAt
              + ": scale-out only, routing held");
      access = Access.SCALE_OUT_ONLY;
    } else {
      state = ControlState.EMPTY;
      controlProblems.add(
          "control table: "
              + (lastControl == null ? "never read" : "last read at " + lastControlAt)
              + ": on-call's freezes and overrides are unknown, nothing is acted on");
      access = Access.NONE;
    }

    Metrics m =
        collect(METRICS, sensed, fence, unread)
            .orElseGet(
                () ->
                    new Metrics(
                        now, Map.of(), Map.of(), Map.of(), Set.of("every series (unread)")));
    MetricSanity.Checked checked = settings.sanity().check(m);

    Map<FleetId, FleetState> fleets = new TreeMap<>();
    collect(GROUPS, groups, fence, unread).ifPresent(l -> l.forEach(f -> fleets.put(f.id(), f)));
    collect(SERVICES, services, fence, unread)
        .ifPresent(l -> l.forEach(f -> fleets.put(f.id(), f)));
    Map<FleetId, FleetState> unreadFleets = new TreeMap<>();
    lastFleets.forEach(
        (id, f) -> {
          if (!fleets.containsKey(id)) {
            unreadFleets.put(id, f);
          }
        });
    // Fleets never read by this replica still cost what the last leader set them to.
    state
        .lastActions()
        .forEach(
            (id, a) -> {
              if (!fleets.containsKey(id) && !unreadFleets.containsKey(id)) {
                unreadFleets.put(id, new FleetState(id, a.to(), 0, 0, 0, 0));
              }
            });
    lastFleets.putAll(fleets);

    Optional<Map<String, Integer>> w = collect(WEIGHTS, weights, fence, unread);
    w.ifPresent(x -> lastWeights = Map.copyOf(x));
    Observation obs =
        new Observation(now, checked.metrics(), fleets, w.orElse(lastWeights), state, unreadFleets);
    return new Sensed(obs, unread, checked.refused(), controlProblems, access, w.isPresent());
  }

  private <T> CompletableFuture<T> start(Supplier<T> read) {
    if (settings.reads().isEmpty()) {
      try {
        return CompletableFuture.completedFuture(read.get());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(read, settings.reads().get());
  }

  /** The value read, or empty with the reason in {@code unread}; a partial read counts as read. */
  @SuppressWarnings("unchecked")
  private static <T> Optional<T> collect(
      String what, CompletableFuture<T> read, Fence fence, List<String> unread) {
    try {
      return Optional.of(read.get(fence.remaining().toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PartialRead p) {
        p.problems().forEach(x -> unread.add(what + " " + x));
        return Optional.of((T) p.partial());
      }
      unread.add(what + ": " + message(e.getCause()));
    } catch (TimeoutException e) {
      read.cancel(true);
      unread.add(what + ": no answer within the tick's deadline");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unread.add(what + ": interrupted");
    }
    return Optional.empty();
  }

  /**
   * The decision with what missing inputs forbid held back: no routing change without the weights
   * or the control table; no scale-in on a control state from memory; nothing at all without one.
   */
  private static Decision restrict(Decision d, Sensed s) {
    String routingHold =
        !s.weightsRead
            ? "routing weights unreadable"
            : s.access != Access.FULL ? "control table unreadable" : null;
    Optional<RoutingPlan> routing = d.routing();
    if (routingHold != null && routing.isPresent() && routing.get().changes()) {
      RoutingPlan r = routing.get();
      routing =
          Optional.of(
              new RoutingPlan(
                  r.market(),
                  r.current(),
                  r.current(),
                  "hold "
                      + r.market()
                      + " weights "
                      + r.current()
                      + ": "
                      + routingHold
                      + " (wanted: "
                      + r.reason()
                      + ")"));
    }
    if (s.access == Access.FULL) {
      return routing == d.routing()
          ? d
          : new Decision(d.at(), d.policy(), d.fleets(), routing, d.forecasts(), d.ladders());
    }
    // Without the control table, on-call's ladder orders are unknown: the plans in force stay.
    List<LadderPlan> ladders =
        s.access == Access.NONE
            ? d.ladders().stream().filter(l -> !l.changes()).toList()
            : d.ladders();
    List<FleetPlan> fleets = new ArrayList<>();
    for (FleetPlan p : d.fleets()) {
      FleetState state = s.observation.fleets().get(p.fleet());
      int pool = state == null ? p.warmPool() : state.warmPoolSize();
      if (s.access == Access.NONE) {
        fleets.add(
            new FleetPlan(
                p.fleet(),
                p.current(),
                p.current(),
                pool,
                "hold "
                    + p.fleet()
                    + " at "
                    + p.current()
                    + ": control table unreadable, on-call's freezes and overrides unknown"));
      } else if (p.target() < p.current()) {
        fleets.add(
            new FleetPlan(
                p.fleet(),
                p.current(),
                p.current(),
                Math.max(pool, p.warmPool()),
                "hold "
                    + p.fleet()
                    + " at "
                    + p.current()
                    + ": no scale-in while the control table is unreadable"));
      } else {
        fleets.add(p);
      }
    }
    return new Decision(d.at(), d.policy(), fleets, routing, d.forecasts(), ladders);
  }

  /** Every fleet change the decision makes, warm-pool-only ones included. */
  private static List<Actuation> actuations(Decision decision, Map<FleetId, FleetState> fleets) {
    List<Actuation> out = new ArrayList<>();
    for (FleetPlan plan : decision.fleets()) {
      FleetState state = fleets.get(plan.fleet());
      boolean service = plan.fleet().kind() == FleetKind.SERVICE;
      int poolBefore = state == null || service ? plan.warmPool() : state.warmPoolSize();
      int poolAfter = service ? poolBefore : plan.warmPool();
      if (plan.changes() || poolBefore != poolAfter) {
        out.add(new Actuation(plan.fleet(), plan.current(), plan.target(), poolBefore, poolAfter));
      }
    }
    return out;
  }

  /** Makes one change; what the actuator chose itself (which relays went), for the audit. */
  private Optional<String> act(Actuation a) {
    if (a.fleet().kind() == FleetKind.SERVICE) {
      workloadActuator.setReplicas(a.fleet(), a.toDesired());
      return Optional.empty();
    }
    return fleetActuator.setCapacity(a.fleet(), a.toDesired(), a.toWarmPool());
  }

  /** The decision's reasons, and a line for each change that moves only a warm pool. */
  private static String why(Decision d, List<Actuation> todo) {
    List<String> reasons = new ArrayList<>(d.reasons());
    todo.stream().filter(a -> !a.changesDesired()).forEach(a -> reasons.add(a.poolReason()));
    return String.join("; ", reasons);
  }

  private static String describe(
      List<Actuation> fleets, Optional<RoutingPlan> route, boolean before) {
    List<String> parts =
        fleets.stream()
            .map(a -> a.describe(before))
            .collect(Collectors.toCollection(ArrayList::new));
    route.ifPresent(r -> parts.add("weights " + (before ? r.current() : r.target())));
    return String.join(", ", parts);
  }

  /** As the fleets' and routing's, then {@code ladders eu-west-1 26x1080/720/480/360 9x...}. */
  private static String describe(
      List<Actuation> fleets,
      Optional<RoutingPlan> route,
      boolean before,
      List<LadderPlan> ladders,
      Map<String, ControlState.LaddersInForce> inForce) {
    List<String> parts = new ArrayList<>();
    String changes = describe(fleets, route, before);
    if (!changes.isEmpty()) {
      parts.add(changes);
    }
    for (LadderPlan l : ladders) {
      ControlState.LaddersInForce was = inForce.get(l.region());
      parts.add(
          "ladders "
              + l.region()
              + " "
              + (!before ? l.counts() : was == null ? "full (none written)" : was.plan().counts()));
    }
    return String.join(", ", parts);
  }

  /** An exception's message in one line, its class where it has none. */
  static String message(Throwable e) {
    String m = e.getMessage();
    return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replaceAll("\\s+", " ");
  }

  /** What the control state read allows this tick. */
  private enum Access {
    FULL,
    SCALE_OUT_ONLY,
    NONE
  }

  /** One tick's reads, and what went wrong reading them. */
  private record Sensed(
      Observation observation,
      List<String> unread,
      List<String> refused,
      List<String> controlProblems,
      Access access,
      boolean weightsRead) {
    TickReport report(
        Decision d,
        String why,
        List<Actuation> done,
        Optional<RoutingPlan> routed,
        List<String> failed,
        Optional<String> abandoned) {
      return new TickReport(
          d,
          why,
          List.copyOf(unread),
          refused,
          List.copyOf(controlProblems),
          List.copyOf(done),
          routed,
          List.copyOf(failed),
          abandoned);
    }
  }
}
