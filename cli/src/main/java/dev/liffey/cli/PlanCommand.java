package dev.liffey.cli;

import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlStore;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.engine.MetricSanity;
import dev.liffey.autoscaler.engine.RoutingActuator;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.ops.OnCallTable;
import dev.liffey.autoscaler.ops.aws.OnCallAws;
import dev.liffey.core.config.EdgeConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code liffey plan}: the engine's decision now, with its reasons, changing nothing. The engine
 * first replays the last few minutes of metrics (one reading a minute) so that its forecast and its
 * scale-in window have a recent past, as the running autoscaler's do. A read that fails is named
 * and left out of the plan (a region's groups or metrics; the control table; the weights), and the
 * rest is planned: exit 1, or 3 when AWS could not be reached.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "What the autoscaler would do now, and why (a dry run).",
      "The engine's decision on the metrics, capacity, weights and on-call overrides in AWS now, after replaying"
          + " the last "
          + PlanCommand.REPLAY_MINUTES
          + " minutes of metrics. Changes nothing; works with the"
          + " autoscaler down. A read that fails is named and planned without (exit 1; 3 when AWS cannot be"
          + " reached)."
    })
final class PlanCommand implements Callable<Integer> {
  static final int REPLAY_MINUTES = 5;
  private static final String GROUPS = "Auto Scaling groups";
  private static final String METRICS = "metrics";
  private static final String CONTROL = "the control table";

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;

  @Option(names = "--region", paramLabel = "R", description = "Only this region's fleets.")
  String region;

  @Option(names = "--all", description = "Show fleets that hold too, not only changes.")
  boolean all;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    EdgeConfig edge = config.load(err).config();
    Optional<String> only = Scope.region(edge, region);
    boolean table = onCall.table();
    try {
      Reads reads = new Reads(onCall, edge);
      String weights = "the " + edge.routing().market() + " weights";
      Instant now = Instant.now();
      Instant[] at = {now.minus(Duration.ofMinutes(REPLAY_MINUTES))};
      ControlLoop loop = loop(edge, () -> at[0], reads, weights);
      Decision decision = loop.plan();
      while (at[0].isBefore(now)) {
        at[0] = at[0].plus(Duration.ofMinutes(1));
        decision = loop.plan();
      }
      reads.leftOut(GROUPS, FailedCall.AUTO_SCALING);
      reads.leftOut(METRICS, FailedCall.CLOUD_WATCH);
      boolean nothingRead =
          reads.failed(GROUPS)
              && reads.failed(METRICS)
              && reads.failed(CONTROL)
              && reads.failed(weights);
      if (!nothingRead) {
        print(out, decision, only, reads, weights, table);
      }
      out.flush();
      if (onCall.verbose()) {
        reads.errors().forEach(e -> e.printStackTrace(err));
      }
      (nothingRead ? reads.failuresOfAll() : reads.failures())
          .forEach(f -> err.println("liffey: " + f));
      return reads.exitCode();
    } finally {
      onCall.close();
    }
  }

  /**
   * The autoscaler's loop as the daemon wires it (LiveControlLoop), in dry run, but with the
   * control table and Route 53 read through {@code reads}: a failure is kept, and the plan made
   * without them.
   */
  private ControlLoop loop(EdgeConfig edge, Clock clock, Reads reads, String weights) {
    OnCallAws aws = onCall.aws();
    OnCallTable table = onCall.controlTable(edge);
    RoutingActuator dns = aws.weights(edge);
    ControlStore control =
        new ControlStore() {
          @Override
          public ControlState read() {
            return reads.now(CONTROL, table::read).orElse(ControlState.EMPTY);
          }

          @Override
          public void audit(AuditRecord record) {
            throw new UnsupportedOperationException("plan records nothing");
          }

          @Override
          public void recordActions(
              Instant at, List<dev.liffey.autoscaler.engine.Actuation> done, long token) {
            throw new UnsupportedOperationException("plan records nothing");
          }

          @Override
          public void recordLadders(
              Instant at, List<dev.liffey.autoscaler.engine.LadderPlan> plans, long token) {
            throw new UnsupportedOperationException("plan records nothing");
          }
        };
    RoutingActuator routing =
        new RoutingActuator() {
          @Override
          public Map<String, Integer> weights() {
            return reads.now(weights, dns::weights).orElse(Map.of());
          }

          @Override
          public void setWeights(Map<String, Integer> target) {
            throw new UnsupportedOperationException("plan changes nothing");
          }
        };
    return new ControlLoop(
        new LiffeyPolicy(edge),
        aws.metrics(edge, clock),
        aws.groups(edge, clock),
        OnCallAws.noKubernetes(),
        routing,
        control,
        clock,
        new ControlLoop.Settings(
            true, MetricSanity.of(edge), edge.control().lastKnownState(), Optional.empty()));
  }

  private void print(
      PrintWriter out,
      Decision decision,
      Optional<String> only,
      Reads reads,
      String weights,
      boolean table)
      throws Exception {
    boolean routingRead = !reads.failed(weights);
    List<FleetPlan> fleets =
        decision.fleets().stream()
            .filter(p -> only.map(r -> r.equals(p.fleet().region())).orElse(true))
            .filter(p -> all || p.changes())
            .toList();
    // A region's ladders when they change or stay shortened; every region's with --all.
    List<LadderPlan> ladders =
        decision.ladders().stream()
            .filter(l -> only.map(r -> r.equals(l.region())).orElse(true))
            .filter(l -> all || l.changes() || !l.full())
            .toList();
    if (!table) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("at", decision.at());
      doc.put("fleets", fleets);
      doc.put("routing", routingRead ? decision.routing().orElse(null) : null);
      doc.put("forecasts", decision.forecasts());
      doc.put("ladders", ladders);
      doc.put("failures", reads.failures());
      onCall.printDocument(out, doc);
      return;
    }
    out.println("plan at " + decision.at() + " (dry run: nothing changed)");
    decision
        .forecasts()
        .forEach(
            (market, f) ->
                out.printf(
                    Locale.ROOT,
                    "  %s viewers %,.0f now, %,.0f forecast at +%ds%n",
                    market,
                    f.observedViewers(),
                    f.forecastViewers(),
                    f.horizon().toSeconds()));
    if (decision.fleets().isEmpty() && !reads.failed(GROUPS)) {
      out.println(
          "  no fleet found: no Auto Scaling group tagged liffey:managed=true (deploy the relay and"
              + " transcode stacks)");
    } else if (fleets.isEmpty() && !decision.fleets().isEmpty()) {
      out.println(
          "  every fleet holds"
              + (only.map(r -> " in " + r).orElse(""))
              + (all ? "" : " (--all to see why)"));
    }
    // Reasons quote on-call's words from the control table (who froze, why): never raw to the
    // terminal.
    fleets.forEach(p -> out.println("  " + Printable.escape(p.reason())));
    if (routingRead) {
      decision.routing().ifPresent(r -> out.println("  " + Printable.escape(r.reason())));
    }
    ladders.forEach(l -> out.println("  " + l.reason()));
    if (reads.failed(GROUPS)) {
      out.println("  planned without the Auto Scaling groups that could not be read (see below)");
    }
    if (reads.failed(METRICS)) {
      out.println(
          "  planned with the metrics that could not be read as missing: no scale-in where they are");
    }
    if (reads.failed(CONTROL)) {
      out.println(
          "  planned without floors, freezes, overrides, pins or drains: the control table was not read");
    }
    if (!routingRead) {
      out.println("  routing not planned: " + weights + " were not read");
    }
    out.println(
        "services (chat, wallet, game) are not planned here: plan does not read Kubernetes");
  }
}
