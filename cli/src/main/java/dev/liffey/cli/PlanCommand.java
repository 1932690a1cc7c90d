package dev.liffey.cli;

import dev.liffey.autoscaler.daemon.LiveControlLoop;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.core.config.EdgeConfig;
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
 * scale-in window have a recent past, as the running autoscaler's do.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"What the autoscaler would do now, and why (a dry run).",
        "The engine's decision on the metrics, capacity, weights and on-call overrides in AWS now, after replaying"
            + " the last " + PlanCommand.REPLAY_MINUTES + " minutes of metrics. Changes nothing; works with the"
            + " autoscaler down."})
final class PlanCommand implements Callable<Integer> {
  static final int REPLAY_MINUTES = 5;

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
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    Optional<String> only = Scope.region(edge, region);
    boolean table = onCall.table();
    try {
      Instant now = Instant.now();
      Instant[] at = {now.minus(Duration.ofMinutes(REPLAY_MINUTES))};
      ControlLoop loop = LiveControlLoop.create(edge, onCall.aws(), new NoKubernetes(), () -> at[0], true);
      Decision decision = loop.plan();
      while (at[0].isBefore(now)) {
        at[0] = at[0].plus(Duration.ofMinutes(1));
        decision = loop.plan();
      }
      List<FleetPlan> fleets = decision.fleets().stream()
          .filter(p -> only.map(r -> r.equals(p.fleet().region())).orElse(true))
          .filter(p -> all || p.changes()).toList();
      if (!table) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("at", decision.at());
        doc.put("fleets", fleets);
        doc.put("routing", decision.routing().orElse(null));
        doc.put("forecasts", decision.forecasts());
        onCall.printDocument(out, doc);
        return LiffeyCli.EXIT_OK;
      }
      out.println("plan at " + decision.at() + " (dry run: nothing changed)");
      decision.forecasts().forEach((market, f) -> out.printf(Locale.ROOT, "  %s viewers %,.0f now, %,.0f forecast at +%ds%n",
          market, f.observedViewers(), f.forecastViewers(), f.horizon().toSeconds()));
      if (decision.fleets().isEmpty()) {
        out.println("  no fleet found: no Auto Scaling group tagged liffey:managed=true (deploy the relay and"
            + " transcode stacks)");
      } else if (fleets.isEmpty()) {
        out.println("  every fleet holds" + (only.map(r -> " in " + r).orElse("")) + (all ? "" : " (--all to see why)"));
      }
      // Reasons quote on-call's words from the control table (who froze, why): never raw to the terminal.
      fleets.forEach(p -> out.println("  " + Printable.escape(p.reason())));
      decision.routing().ifPresent(r -> out.println("  " + Printable.escape(r.reason())));
      out.println("services (chat, wallet, game) are not planned here: plan does not read Kubernetes");
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }
}
