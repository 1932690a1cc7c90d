package dev.liffey.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.liffey.autoscaler.sim.Policies;
import dev.liffey.autoscaler.sim.RegionStep;
import dev.liffey.autoscaler.sim.Scorecard;
import dev.liffey.autoscaler.sim.Simulation;
import dev.liffey.autoscaler.sim.Trace;
import dev.liffey.autoscaler.sim.TraceDemand;
import dev.liffey.cli.report.SimulationReport;
import dev.liffey.core.config.EdgeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey simulate}: what would each policy do with this audience, and what would it cost. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Replay a trace against the simulated edge and score each policy.",
      "The trace has viewers, streams and edge latency; each policy is scored on unserved, served and slow"
          + " viewer-seconds, cost, scaling actions, peak viewers and latency p95. Liffey's targets: unserved at"
          + " most 5%% of target tracking's, cost at most 1.25x the oracle's."
    })
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--trace", paramLabel = "FILE", required = true, arity = "1..*",
      description = "A trace CSV (t,kind,key,value), bundled:NAME (viral-spike, match, diurnal-week,"
          + " dublin-latency-incident) or bundled:all. Repeatable.")
  List<String> traces;

  @Option(names = "--policy", split = ",", paramLabel = "NAME",
      defaultValue = "liffey,target-tracking,static,oracle",
      description = "Policies to score (default: ${DEFAULT-VALUE}).")
  List<String> policies;

  @Option(names = "--json", description = "Print {\"trace\": ..., \"results\": [...]} (an array of those for several traces).")
  boolean json;

  @Option(names = "--markdown", description = "Print one markdown table for all traces.")
  boolean markdown;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Write a PNG chart per trace and region (demand against in-service capacity, per policy) and a"
          + " markdown summary into DIR.")
  Path report;

  @Option(names = "--start", paramLabel = "INSTANT", defaultValue = "2026-12-01T18:00:00Z",
      description = "Simulated time of the trace's first row, for known events (default: ${DEFAULT-VALUE}).")
  Instant start;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (String p : policies) {
      if (!Policies.NAMES.contains(p)) {
        throw new UsageProblem("unknown policy '" + p + "': use one or more of " + String.join(",", Policies.NAMES));
      }
    }
    EdgeConfig edge = config.load(err).config();
    List<Trace> loaded = TraceSpec.resolve(traces, edge, err);

    List<TraceResult> results = new ArrayList<>();
    for (Trace trace : loaded) {
      Map<String, Scorecard> cards = new LinkedHashMap<>();
      Map<String, List<RegionStep>> steps = new LinkedHashMap<>();
      for (String policy : policies) {
        Simulation.Prepared run = new Simulation(edge, trace, start)
            .prepare(Policies.create(policy, edge, new TraceDemand(trace, start)));
        List<RegionStep> recorded = new ArrayList<>();
        while (run.hasNext()) {
          run.tick();
          if (report != null) {
            recorded.addAll(run.cloud().lastSteps());
          }
        }
        cards.put(policy, run.scorecard());
        steps.put(policy, recorded);
      }
      results.add(new TraceResult(trace, cards, steps));
    }

    if (json) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      List<Map<String, Object>> docs = results.stream().map(TraceResult::toJson).toList();
      out.println(mapper.writeValueAsString(docs.size() == 1 ? docs.get(0) : docs));
    } else if (markdown) {
      out.print(SimulationReport.markdownTable(results.stream().map(r -> Map.entry(r.trace.name(), r.cards)).toList()));
    } else {
      results.forEach(r -> printTable(out, r));
    }
    if (report != null) {
      List<Path> written = new SimulationReport(edge).write(report,
          results.stream().map(r -> new SimulationReport.TraceRun(r.trace.name(), r.cards, r.steps)).toList());
      err.println("report: " + written.size() + " files in " + report);
    }
    return LiffeyCli.EXIT_OK;
  }

  private static void printTable(PrintWriter out, TraceResult r) {
    out.printf(Locale.ROOT, "%s (%d min)%n", r.trace.name(), r.trace.length().toMinutes());
    out.printf(Locale.ROOT, "%-16s %16s %18s %14s %10s %8s %7s%n", "policy", "unserved v·s", "served v·s", "slow v·s",
        "cost USD", "actions", "p95 ms");
    r.cards.values().forEach(c -> out.printf(Locale.ROOT, "%-16s %,16.0f %,18.0f %,14.0f %10.2f %8d %7.0f%n",
        c.policy(), c.unservedViewerSeconds(), c.servedViewerSeconds(), c.slowViewerSeconds(), c.costUsd(),
        c.scalingActions(), c.p95LatencyMillis()));
    SimulationReport.verdict(r.cards).ifPresent(v -> out.println("liffey: " + v));
    out.println();
  }

  private record TraceResult(Trace trace, Map<String, Scorecard> cards, Map<String, List<RegionStep>> steps) {
    Map<String, Object> toJson() {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("trace", trace.name());
      doc.put("results", List.copyOf(cards.values()));
      return doc;
    }
  }
}
