package dev.liffey.cli;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Region;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey status}: what is happening, at a glance, read straight from AWS and the control table. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"What is happening, at a glance, read straight from AWS.",
        "Per region and fleet: capacity (desired, in service, pending, warm), viewers, utilization and headroom;"
            + " edge latency p95 per market; the Irish weights; floors, overrides, freezes, drains and added events"
            + " in force; the autoscaler's last decision and its age. Works with the autoscaler down."})
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;

  @Option(names = "--region", paramLabel = "R", description = "Only this region.")
  String region;

  @Option(names = "--watch", description = "Refresh every 10 seconds until interrupted.")
  boolean watch;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    Optional<String> only = Scope.region(edge, region);
    boolean table = onCall.table();
    try {
      do {
        Map<String, Object> status = read(edge, only, Instant.now());
        if (table) {
          print(out, status);
        } else {
          onCall.printDocument(out, status);
        }
        out.flush();
        if (watch) {
          Thread.sleep(10_000);
        }
      } while (watch);
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }

  /** Waits for a read started in parallel; its failure is thrown as it was (exit 3 for AWS out of reach). */
  private static <T> T join(CompletableFuture<T> read) {
    try {
      return read.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private Map<String, Object> read(EdgeConfig edge, Optional<String> only, Instant now) {
    // Five independent reads (about 14 calls across regions): in parallel, on-call sees it sooner.
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      var fleets = CompletableFuture.supplyAsync(
          () -> new AutoScalingFleetActuator(edge, onCall.aws()::autoScaling).fleets(), pool);
      var metrics = CompletableFuture.supplyAsync(
          () -> new CloudWatchMetricsSource(edge, onCall.aws()::cloudWatch, () -> now).read(), pool);
      var control = CompletableFuture.supplyAsync(() -> onCall.controlTable(edge).read(), pool);
      var recent = CompletableFuture.supplyAsync(
          () -> onCall.controlTable(edge).history(now.minus(Duration.ofHours(24)), now), pool);
      var dns = CompletableFuture.supplyAsync(
          () -> new Route53RoutingActuator(edge.routing(), onCall.aws().route53()).weights(), pool);
      return document(edge, only, now, join(fleets), join(metrics), join(control), join(recent), join(dns));
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<String, Object> document(EdgeConfig edge, Optional<String> only, Instant now,
      List<FleetState> fleets, Metrics metrics, ControlState control, List<AuditRecord> recent,
      Map<String, Integer> dns) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("at", now);
    List<Map<String, Object>> regions = new ArrayList<>();
    for (Region r : edge.regions()) {
      if (only.isPresent() && !only.get().equals(r.id())) {
        continue;
      }
      double viewers = 0;
      Map<String, Object> latency = new LinkedHashMap<>();
      for (Map.Entry<MarketRegion, Sample> e : metrics.viewers().entrySet()) {
        if (e.getKey().region().equals(r.id())) {
          viewers += e.getValue().value();
        }
      }
      for (Map.Entry<MarketRegion, Sample> e : metrics.latencyP95Millis().entrySet()) {
        if (e.getKey().region().equals(r.id())) {
          latency.put(e.getKey().market(), Math.round(e.getValue().value()));
        }
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (FleetState f : fleets) {
        if (!f.id().region().equals(r.id())) {
          continue;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("fleet", f.id().kind() == FleetKind.RELAY ? "relay" : f.id().kind().label() + " " + f.id().name());
        row.put("desired", f.desired());
        row.put("inService", f.inService());
        row.put("pending", f.pending());
        row.put("warm", f.warm());
        if (f.id().kind() == FleetKind.RELAY) {
          double capacity = (double) f.inService() * r.relay().viewersPerInstance();
          row.put("viewers", Math.round(viewers));
          row.put("utilizationPercent", capacity == 0 ? null : Math.round(100 * viewers / capacity));
          row.put("headroomViewers", Math.round(capacity - viewers));
        }
        if (f.capacityShortage()) {
          row.put("capacityShortage", true);
        }
        rows.add(row);
      }
      Map<String, Object> reg = new LinkedHashMap<>();
      reg.put("region", r.id());
      reg.put("city", r.city());
      reg.put("fleets", rows);
      reg.put("edgeLatencyP95Millis", latency);
      regions.add(reg);
    }
    doc.put("regions", regions);
    Map<String, Integer> weights = new LinkedHashMap<>();
    edge.market(edge.routing().market()).orElseThrow().servedBy()
        .forEach(sb -> Optional.ofNullable(dns.get(sb.regionId())).ifPresent(w -> weights.put(sb.regionId(), w)));
    doc.put("weights", Map.of(edge.routing().market(), weights));
    doc.put("floors", control.floors().stream().filter(f -> f.until().isAfter(now)).toList());
    doc.put("freezes", control.freezes());
    doc.put("pins", control.pins().stream().filter(p -> p.until().isAfter(now)).toList());
    doc.put("overrides", control.overrides().stream().filter(o -> o.until().isAfter(now)).toList());
    doc.put("drains", control.drains());
    doc.put("events", control.events().stream().filter(e -> e.end().isAfter(now)).toList());
    doc.put("missingSeries", metrics.missing());
    recent.stream().filter(a -> a.who().startsWith("liffey-autoscaler")).reduce((a, b) -> b)
        .ifPresent(a -> doc.put("lastDecision", Map.of("at", a.at(), "ageSeconds",
            Duration.between(a.at(), now).toSeconds(), "what", a.why())));
    return doc;
  }

  private static String thousands(Object n) {
    return n instanceof Number v ? String.format(Locale.ROOT, "%,d", v.longValue()) : "";
  }

  @SuppressWarnings("unchecked")
  private static void print(PrintWriter out, Map<String, Object> s) {
    out.println("liffey status at " + s.get("at"));
    for (Map<String, Object> reg : (List<Map<String, Object>>) s.get("regions")) {
      out.println();
      out.println(reg.get("region") + " (" + reg.get("city") + ")   edge latency p95 ms: " + reg.get("edgeLatencyP95Millis"));
      out.printf(Locale.ROOT, "  %-24s %7s %9s %7s %5s %9s %6s %9s%n", "fleet", "desired", "inService", "pending",
          "warm", "viewers", "util", "headroom");
      if (((List<?>) reg.get("fleets")).isEmpty()) {
        out.println("  (no Auto Scaling group found: deploy its relay and transcode stacks; a warning above means"
            + " they could not be read)");
      }
      for (Map<String, Object> f : (List<Map<String, Object>>) reg.get("fleets")) {
        Object util = f.get("utilizationPercent");
        out.printf(Locale.ROOT, "  %-24s %7s %9s %7s %5s %9s %6s %9s%s%n", f.get("fleet"), f.get("desired"),
            f.get("inService"), f.get("pending"), f.get("warm"), thousands(f.get("viewers")),
            util == null ? "" : util + "%", thousands(f.get("headroomViewers")),
            Boolean.TRUE.equals(f.get("capacityShortage")) ? "  EC2 capacity shortage" : "");
      }
    }
    out.println();
    ((Map<String, Map<String, Integer>>) s.get("weights")).forEach((market, w) -> {
      int total = w.values().stream().mapToInt(Integer::intValue).sum();
      StringBuilder line = new StringBuilder(market + " weights:");
      w.forEach((r, v) -> line.append(String.format(Locale.ROOT, " %s %d (%.0f%%)", r, v, total == 0 ? 0.0 : 100.0 * v / total)));
      out.println(line);
    });
    // Everything below quotes the control table (on-call's words): escaped, never raw to the terminal.
    for (ControlState.CapacityFloor f : (List<ControlState.CapacityFloor>) s.get("floors")) {
      out.println(Printable.escape("floor: " + f.fleet() + " " + f.region() + " >= " + f.capacity() + " until "
          + f.until() + " by " + f.who() + " (" + f.reason() + ")"));
    }
    for (ControlState.Freeze f : (List<ControlState.Freeze>) s.get("freezes")) {
      out.println(Printable.escape("FROZEN: " + f.fleet().orElse("every fleet") + " in "
          + f.region().orElse("every region") + " by " + f.who() + " (" + f.reason() + ")"));
    }
    for (ControlState.RoutePin p : (List<ControlState.RoutePin>) s.get("pins")) {
      out.println(Printable.escape("pin: " + p.percent() + "% of " + p.market() + " to " + p.region() + " until "
          + p.until() + " by " + p.who() + " (" + p.reason() + ")"));
    }
    for (ControlState.CapacityOverride o : (List<ControlState.CapacityOverride>) s.get("overrides")) {
      out.println(Printable.escape("OVERRIDE: " + o.fleet() + " " + o.region() + " held at " + o.capacity() + " until "
          + o.until() + " by " + o.who() + " (" + o.reason() + ")"));
    }
    for (ControlState.Drain d : (List<ControlState.Drain>) s.get("drains")) {
      out.println(Printable.escape("DRAINED: " + d.region() + " since " + d.since() + " by " + d.who() + " ("
          + d.reason() + ")"));
    }
    for (dev.liffey.core.config.KnownEvent e : (List<dev.liffey.core.config.KnownEvent>) s.get("events")) {
      out.println(Printable.escape("event: '" + e.name() + "' " + e.market() + " "
          + String.format(Locale.ROOT, "%,d", e.expectedViewers()) + " viewers at " + e.start() + " (added by on-call)"));
    }
    var missing = (java.util.Set<String>) s.get("missingSeries");
    if (!missing.isEmpty()) {
      out.println("missing metrics: " + String.join(", ", new java.util.TreeSet<>(missing)));
    }
    var last = (Map<String, Object>) s.get("lastDecision");
    out.println(last == null ? "autoscaler: no decision in the last 24 h (is it running?)"
        : "autoscaler's last change: " + last.get("ageSeconds") + " s ago: " + Printable.escape((String) last.get("what")));
  }
}
