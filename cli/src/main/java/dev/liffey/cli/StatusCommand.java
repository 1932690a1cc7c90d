package dev.liffey.cli;

import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.ops.Entries;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Region;
import dev.liffey.core.media.Ladder;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code liffey status}: what is happening, at a glance, read straight from AWS and the control
 * table. Its five reads fail alone ({@link Reads}): what could be read is printed, each failed read
 * is named.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "What is happening, at a glance, read straight from AWS.",
      "Per region and fleet: capacity (desired, in service, pending, warm), viewers, utilization and headroom;"
          + " edge latency p95 per market (and the relays taking joins', which the router steers by); the routed market's weights; floors, overrides, freezes, drains, added events, the ladders in force and on-call's ladder orders"
          + " in force; the autoscaler's last decision and its age. Works with the autoscaler down. A read that"
          + " fails is named, one line each, and the rest is shown (exit 1; 3 when AWS cannot be reached)."
    })
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
    PrintWriter err = spec.commandLine().getErr();
    EdgeConfig edge = config.load(err).config();
    Optional<String> only = Scope.region(edge, region);
    boolean table = onCall.table();
    try {
      int code;
      do {
        onCall.calls().forget(); // each refresh tries every endpoint again
        Reads reads = new Reads(onCall, edge);
        Map<String, Object> status = read(edge, only, Instant.now(), reads);
        if (status != null) {
          if (table) {
            print(out, status);
          } else {
            onCall.printDocument(out, status);
          }
        }
        out.flush();
        if (onCall.verbose()) {
          reads.errors().forEach(e -> e.printStackTrace(err));
        }
        (status == null ? reads.failuresOfAll() : reads.failures())
            .forEach(f -> err.println("liffey: " + f));
        err.flush();
        code = reads.exitCode();
        if (watch) {
          Thread.sleep(10_000);
        }
      } while (watch);
      return code;
    } finally {
      onCall.close();
    }
  }

  /**
   * The five reads, in parallel (about 14 calls across regions: on-call sees them sooner), each
   * failing alone; null when none could be read.
   */
  private Map<String, Object> read(
      EdgeConfig edge, Optional<String> only, Instant now, Reads reads) {
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      var fleets =
          reads.start(
              "Auto Scaling groups",
              pool,
              () -> PartialRead.orPartial(onCall.aws().groups(edge)::fleets));
      var metrics =
          reads.start(
              "metrics",
              pool,
              () -> PartialRead.orPartial(onCall.aws().metrics(edge, () -> now)::read));
      var control = reads.start("the control table", pool, () -> onCall.controlTable(edge).read());
      var recent =
          reads.start(
              "the audit log",
              pool,
              () -> onCall.controlTable(edge).history(now.minus(Duration.ofHours(24)), now));
      var dns =
          reads.start(
              "the " + edge.routing().market() + " weights",
              pool,
              () -> onCall.aws().weights(edge).weights());
      var status =
          new Read(
              fleets.get(),
              metrics.get(),
              control.get(),
              recent.get(),
              dns.get(),
              reads.regionsLeftOut(FailedCall.AUTO_SCALING),
              reads.regionsLeftOut(FailedCall.CLOUD_WATCH));
      // The adapters leave out a region they cannot read; the call log says which, and why.
      reads.leftOut("Auto Scaling groups", FailedCall.AUTO_SCALING);
      reads.leftOut("metrics", FailedCall.CLOUD_WATCH);
      return status.nothing(edge) ? null : document(edge, only, now, status, reads.failures());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * What status read; empty where a read failed, and the regions whose groups or metrics were left
   * out.
   */
  private record Read(
      Optional<List<FleetState>> fleets,
      Optional<Metrics> metrics,
      Optional<ControlState> control,
      Optional<List<AuditRecord>> recent,
      Optional<Map<String, Integer>> dns,
      Set<String> groupsUnread,
      Set<String> metricsUnread) {
    boolean nothing(EdgeConfig edge) {
      return (fleets.isEmpty() || groupsUnread.containsAll(edge.regionIds()))
          && (metrics.isEmpty() || metricsUnread.containsAll(edge.regionIds()))
          && control.isEmpty()
          && recent.isEmpty()
          && dns.isEmpty();
    }

    Optional<List<FleetState>> fleets(String region) {
      return groupsUnread.contains(region)
          ? Optional.empty()
          : fleets.map(all -> all.stream().filter(f -> f.id().region().equals(region)).toList());
    }

    Optional<Metrics> metrics(String region) {
      return metricsUnread.contains(region) ? Optional.empty() : metrics;
    }
  }

  /**
   * The status document: JSON and YAML print it as it is; null where a read failed, and why in
   * "failures".
   */
  private static Map<String, Object> document(
      EdgeConfig edge, Optional<String> only, Instant now, Read read, List<String> failures) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("at", now);
    List<Map<String, Object>> regions = new ArrayList<>();
    for (Region r : edge.regions()) {
      if (only.isPresent() && !only.get().equals(r.id())) {
        continue;
      }
      Optional<Double> viewers =
          read.metrics(r.id())
              .map(
                  m ->
                      m.viewers().entrySet().stream()
                          .filter(e -> e.getKey().region().equals(r.id()))
                          .mapToDouble(e -> e.getValue().value())
                          .sum());
      Map<String, Object> reg = new LinkedHashMap<>();
      reg.put("region", r.id());
      reg.put("city", r.city());
      reg.put(
          "fleets",
          read.fleets(r.id())
              .map(fleets -> fleets.stream().map(f -> row(r, f, viewers)).toList())
              .orElse(null));
      reg.put(
          "edgeLatencyP95Millis",
          read.metrics(r.id()).map(m -> perMarket(m.latencyP95Millis(), r.id())).orElse(null));
      reg.put(
          "joinLatencyP95Millis",
          read.metrics(r.id()).map(m -> perMarket(m.joinLatencyP95Millis(), r.id())).orElse(null));
      // Whose players follow the relays' reconnect event: the share a handover moves.
      reg.put(
          "followingReconnect",
          read.metrics(r.id()).map(m -> perMarket(m.followingReconnect(), r.id())).orElse(null));
      regions.add(reg);
    }
    doc.put("regions", regions);
    doc.put(
        "weights",
        read.dns()
            .map(
                dns -> {
                  Map<String, Integer> weights = new LinkedHashMap<>();
                  edge.market(edge.routing().market())
                      .orElseThrow()
                      .servedBy()
                      .forEach(
                          sb ->
                              Optional.ofNullable(dns.get(sb.regionId()))
                                  .ifPresent(w -> weights.put(sb.regionId(), w)));
                  return Map.of(edge.routing().market(), weights);
                })
            .orElse(null));
    Optional<ControlState> control = read.control();
    doc.put(
        "floors",
        control
            .map(c -> c.floors().stream().filter(f -> f.until().isAfter(now)).toList())
            .orElse(null));
    doc.put("freezes", control.map(ControlState::freezes).orElse(null));
    doc.put(
        "pins",
        control
            .map(c -> c.pins().stream().filter(p -> p.until().isAfter(now)).toList())
            .orElse(null));
    doc.put(
        "overrides",
        control
            .map(c -> c.overrides().stream().filter(o -> o.until().isAfter(now)).toList())
            .orElse(null));
    doc.put("drains", control.map(ControlState::drains).orElse(null));
    doc.put(
        "ladders",
        control
            .map(
                c -> {
                  Map<String, Object> byRegion = new java.util.TreeMap<>();
                  c.ladders().entrySet().stream()
                      .filter(e -> only.map(e.getKey()::equals).orElse(true))
                      .forEach(e -> byRegion.put(e.getKey(), ladders(e.getValue())));
                  return byRegion;
                })
            .orElse(null));
    doc.put(
        "ladderOrders",
        control
            .map(c -> c.ladderOrders().stream().filter(o -> o.until().isAfter(now)).toList())
            .orElse(null));
    doc.put(
        "events",
        control
            .map(c -> c.events().stream().filter(e -> e.end().isAfter(now)).toList())
            .orElse(null));
    // A region whose metrics could not be read is named in "failures", not as a list of missing
    // series.
    doc.put(
        "missingSeries",
        read.metrics()
            .map(
                m ->
                    m.missing().stream()
                        .filter(
                            series ->
                                read.metricsUnread().stream()
                                    .noneMatch(r -> series.endsWith("@" + r)))
                        .toList())
            .orElse(null));
    read.recent()
        .ifPresent(
            recent ->
                recent.stream()
                    .filter(a -> a.who().startsWith("liffey-autoscaler"))
                    .reduce((a, b) -> b)
                    .ifPresent(
                        a ->
                            doc.put(
                                "lastDecision",
                                Map.of(
                                    "at",
                                    a.at(),
                                    "ageSeconds",
                                    Duration.between(a.at(), now).toSeconds(),
                                    "what",
                                    a.why()))));
    doc.put("auditLogRead", read.recent().isPresent());
    doc.put("failures", failures);
    return doc;
  }

  private static Map<String, Object> row(Region r, FleetState f, Optional<Double> viewers) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(
        "fleet",
        f.id().kind() == FleetKind.RELAY ? "relay" : f.id().kind().label() + " " + f.id().name());
    row.put("desired", f.desired());
    row.put("inService", f.inService());
    row.put("pending", f.pending());
    row.put("warm", f.warm());
    if (f.id().kind() == FleetKind.RELAY && viewers.isPresent()) {
      double v = viewers.get();
      double capacity = (double) f.inService() * r.relay().viewersPerInstance();
      row.put("viewers", Math.round(v));
      row.put("utilizationPercent", capacity == 0 ? null : Math.round(100 * v / capacity));
      row.put("headroomViewers", Math.round(capacity - v));
    }
    if (f.capacityShortage()) {
      row.put("capacityShortage", true);
    }
    return row;
  }

  /** A per-market series of {@code region}, rounded, by market. */
  private static Map<String, Object> perMarket(Map<MarketRegion, Sample> series, String region) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<MarketRegion, Sample> e : series.entrySet()) {
      if (e.getKey().region().equals(region)) {
        out.put(e.getKey().market(), Math.round(e.getValue().value()));
      }
    }
    return out;
  }

  private static List<?> orEmpty(Object list) {
    return list == null ? List.of() : (List<?>) list;
  }

  private static String thousands(Object n) {
    return n instanceof Number v ? String.format(Locale.ROOT, "%,d", v.longValue()) : "";
  }

  @SuppressWarnings("unchecked")
  private static void print(PrintWriter out, Map<String, Object> s) {
    out.println("liffey status at " + s.get("at"));
    for (Map<String, Object> reg : (List<Map<String, Object>>) s.get("regions")) {
      out.println();
      Object latency = reg.get("edgeLatencyP95Millis");
      Object joining = reg.get("joinLatencyP95Millis");
      out.println(
          reg.get("region")
              + " ("
              + reg.get("city")
              + ")   edge latency p95 ms: "
              + (latency == null ? "(metrics not read)" : latency)
              + (joining instanceof Map<?, ?> j && !j.isEmpty() ? "   joins: " + j : ""));
      if (reg.get("followingReconnect") instanceof Map<?, ?> f && !f.isEmpty()) {
        out.println("  viewers following the reconnect event: " + f);
      }
      out.printf(
          Locale.ROOT,
          "  %-24s %7s %9s %7s %5s %9s %6s %9s%n",
          "fleet",
          "desired",
          "inService",
          "pending",
          "warm",
          "viewers",
          "util",
          "headroom");
      if (reg.get("fleets") == null) {
        out.println("  (Auto Scaling groups not read)");
        continue;
      }
      if (((List<?>) reg.get("fleets")).isEmpty()) {
        out.println(
            "  (no Auto Scaling group found: deploy its relay and transcode stacks; a warning above means"
                + " they could not be read)");
      }
      for (Map<String, Object> f : (List<Map<String, Object>>) reg.get("fleets")) {
        Object util = f.get("utilizationPercent");
        out.printf(
            Locale.ROOT,
            "  %-24s %7s %9s %7s %5s %9s %6s %9s%s%n",
            f.get("fleet"),
            f.get("desired"),
            f.get("inService"),
            f.get("pending"),
            f.get("warm"),
            thousands(f.get("viewers")),
            util == null ? "" : util + "%",
            thousands(f.get("headroomViewers")),
            Boolean.TRUE.equals(f.get("capacityShortage")) ? "  EC2 capacity shortage" : "");
      }
    }
    out.println();
    if (s.get("weights") == null) {
      out.println("weights: not read");
    }
    ((Map<String, Map<String, Integer>>) Optional.ofNullable(s.get("weights")).orElse(Map.of()))
        .forEach(
            (market, w) -> {
              int total = w.values().stream().mapToInt(Integer::intValue).sum();
              StringBuilder line = new StringBuilder(market + " weights:");
              w.forEach(
                  (r, v) ->
                      line.append(
                          String.format(
                              Locale.ROOT,
                              " %s %d (%.0f%%)",
                              r,
                              v,
                              total == 0 ? 0.0 : 100.0 * v / total)));
              out.println(line);
            });
    if (s.get("floors") == null) {
      out.println(
          "control table not read: floors, freezes, pins, overrides, drains and added events unknown");
    }
    // Everything below quotes the control table (on-call's words): escaped, never raw to the
    // terminal.
    for (ControlState.CapacityFloor f :
        (List<ControlState.CapacityFloor>) orEmpty(s.get("floors"))) {
      out.println(
          Printable.escape(
              "floor: "
                  + f.fleet()
                  + " "
                  + f.region()
                  + " >= "
                  + f.capacity()
                  + " until "
                  + f.until()
                  + " by "
                  + f.who()
                  + " ("
                  + f.reason()
                  + ")"));
    }
    for (ControlState.Freeze f : (List<ControlState.Freeze>) orEmpty(s.get("freezes"))) {
      boolean ended = !f.until().isAfter(Instant.now());
      out.println(
          Printable.escape(
              (ended ? "freeze ended: " : "FROZEN: ")
                  + Entries.scope(f)
                  + " "
                  + Entries.until(f)
                  + " by "
                  + f.who()
                  + " ("
                  + f.reason()
                  + ")"));
    }
    for (ControlState.RoutePin p : (List<ControlState.RoutePin>) orEmpty(s.get("pins"))) {
      out.println(
          Printable.escape(
              "pin: "
                  + p.percent()
                  + "% of "
                  + p.market()
                  + " to "
                  + p.region()
                  + " until "
                  + p.until()
                  + " by "
                  + p.who()
                  + " ("
                  + p.reason()
                  + ")"));
    }
    for (ControlState.CapacityOverride o :
        (List<ControlState.CapacityOverride>) orEmpty(s.get("overrides"))) {
      out.println(
          Printable.escape(
              "OVERRIDE: "
                  + o.fleet()
                  + " "
                  + o.region()
                  + " held at "
                  + o.capacity()
                  + " until "
                  + o.until()
                  + " by "
                  + o.who()
                  + " ("
                  + o.reason()
                  + ")"));
    }
    for (ControlState.Drain d : (List<ControlState.Drain>) orEmpty(s.get("drains"))) {
      out.println(
          Printable.escape(
              "DRAINED: "
                  + d.region()
                  + " since "
                  + d.since()
                  + " by "
                  + d.who()
                  + " ("
                  + d.reason()
                  + ")"));
    }
    ((Map<String, Map<String, Object>>) Optional.ofNullable(s.get("ladders")).orElse(Map.of()))
        .forEach(
            (r, l) ->
                out.println(
                    Printable.escape(
                        "ladders "
                            + r
                            + " since "
                            + l.get("since")
                            + ": "
                            + ladderCounts(
                                (Map<String, Integer>) l.get("streamsByLadder"),
                                ((Number) l.get("waiting")).intValue())
                            + (l.get("forced") != null ? " (forced by on-call)" : ""))));
    for (ControlState.LadderOrder o :
        (List<ControlState.LadderOrder>) orEmpty(s.get("ladderOrders"))) {
      out.println(
          Printable.escape(
              (o.forced().isPresent() ? "LADDERS FORCED: " : "LADDERS HELD: ")
                  + Entries.describe(o)));
    }
    for (dev.liffey.core.config.KnownEvent e :
        (List<dev.liffey.core.config.KnownEvent>) orEmpty(s.get("events"))) {
      out.println(
          Printable.escape(
              "event: '"
                  + e.name()
                  + "' "
                  + e.market()
                  + " "
                  + String.format(Locale.ROOT, "%,d", e.expectedViewers())
                  + " viewers at "
                  + e.start()
                  + " (added by on-call)"));
    }
    var missing = (List<String>) s.get("missingSeries");
    if (missing != null && !missing.isEmpty()) {
      out.println("missing metrics: " + String.join(", ", new java.util.TreeSet<>(missing)));
    }
    var last = (Map<String, Object>) s.get("lastDecision");
    out.println(
        !Boolean.TRUE.equals(s.get("auditLogRead"))
            ? "autoscaler's last change: unknown (audit log not read)"
            : last == null
                ? "autoscaler: no decision in the last 24 h (is it running?)"
                : "autoscaler's last change: "
                    + last.get("ageSeconds")
                    + " s ago: "
                    + Printable.escape((String) last.get("what")));
  }

  /** A region's ladders in force, for JSON: streams by each ladder's rungs. */
  private static Map<String, Object> ladders(ControlState.LaddersInForce l) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Integer> byLadder = new LinkedHashMap<>();
    for (Ladder ladder : Ladder.values()) {
      int n = l.plan().on(ladder);
      if (n > 0) {
        byLadder.put(ladder.label(), n);
      }
    }
    out.put("since", l.since().toString());
    out.put("streams", l.plan().streams());
    out.put("streamsByLadder", byLadder);
    out.put("waiting", l.plan().waiting());
    out.put("slots", l.plan().slots());
    out.put("forced", l.plan().forced().map(Ladder::label).orElse(null));
    out.put("reason", l.plan().reason());
    return out;
  }

  /**
   * {@code 26 on 1080/720/480/360, 9 on 720/480/360, 2 waiting for a slot}; every stream full said
   * so.
   */
  private static String ladderCounts(Map<String, Integer> byLadder, int waiting) {
    if (waiting == 0 && byLadder.keySet().equals(Set.of(Ladder.FULL.label()))) {
      return "every stream on the full ladder";
    }
    List<String> parts = new ArrayList<>();
    byLadder.forEach((ladder, n) -> parts.add(n + " on " + ladder));
    if (waiting > 0) {
      parts.add(waiting + " waiting for a slot");
    }
    return parts.isEmpty() ? "no streams" : String.join(", ", parts);
  }
}
