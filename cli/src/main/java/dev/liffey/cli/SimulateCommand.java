package dev.liffey.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.sim.BaselineRouting;
import dev.liffey.autoscaler.sim.FamilySummary;
import dev.liffey.autoscaler.sim.ParallelRuns;
import dev.liffey.autoscaler.sim.Policies;
import dev.liffey.autoscaler.sim.RegionStep;
import dev.liffey.autoscaler.sim.Replay;
import dev.liffey.autoscaler.sim.ScenarioFamilies;
import dev.liffey.autoscaler.sim.Scorecard;
import dev.liffey.autoscaler.sim.SeedRange;
import dev.liffey.autoscaler.sim.SessionLength;
import dev.liffey.autoscaler.sim.SimulatedCloud;
import dev.liffey.autoscaler.sim.Simulation;
import dev.liffey.autoscaler.sim.SuiteRunner;
import dev.liffey.autoscaler.sim.Trace;
import dev.liffey.autoscaler.sim.TraceDemand;
import dev.liffey.cli.report.SimulationReport;
import dev.liffey.cli.report.SuiteReport;
import dev.liffey.cli.report.TraceJudgement;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.RelayFleet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code liffey simulate}: what would each policy do with this audience, and what would it cost.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Replay a trace against the simulated edge and score each policy, or judge Liffey on the robustness suite.",
      "The trace has viewers, streams, edge latency, bots, GPU shortages and relays that stop publishing; each policy is scored on unserved, served and slow"
          + " viewer-seconds, compute cost, egress, scaling actions, peak viewers, latency p95 and the relay capacity"
          + " it bought for bots. The table ends with Liffey judged on the targets of issue 10 as the suite judges a"
          + " seed; exit 0 once the traces are replayed, whatever the verdicts.",
      "With --suite, every policy runs on the seeds (1..N, or FIRST-LAST) of each scenario family, and Liffey's ratios to the baselines"
          + " are reported per family (median, p90, worst) against the targets of issue 10; exit 0 when every"
          + " target is met on every trace, 1 when one is missed (a target whose baseline did not run is not judged)."
    })
final class SimulateCommand implements Callable<Integer> {
  static final int DEFAULT_SEEDS = 5;
  static final int MAX_SEEDS = 1_000;
  private static final Pattern SEEDS = Pattern.compile("(\\d{1,9})(?:-(\\d{1,9}))?");
  static final int MAX_JOBS = 256;

  /** Bounds of --session-seconds: ten seconds (zapping) to a day. */
  static final int MIN_SESSION_SECONDS = 10;

  static final int MAX_SESSION_SECONDS = 86_400;

  /** The largest --noise-scale: 15% a sample at the noisiest. */
  static final int MAX_NOISE_SCALE = 5;

  /** What --trace scores unless --policy says otherwise. */
  static final List<String> TRACE_POLICIES =
      List.of("liffey", "target-tracking", "static", "oracle");

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      arity = "1..*",
      description =
          "A trace CSV (t,kind,key,value), bundled:NAME (viral-spike, match, diurnal-week,"
              + " dublin-latency-incident) or bundled:all. Repeatable.")
  List<String> traces;

  @Option(
      names = "--suite",
      paramLabel = "FAMILY",
      split = ",",
      completionCandidates = SuiteFamilies.class,
      description =
          "Instead of --trace: judge Liffey on these scenario families, or all: ${COMPLETION-CANDIDATES}.")
  List<String> suite;

  @Option(
      names = "--seeds",
      paramLabel = "N|FIRST-LAST",
      description =
          "With --suite: seeds 1 to N of every family (default: "
              + DEFAULT_SEEDS
              + "), or FIRST to LAST, like 31-60: each seed draws a trace of its own, so seeds"
              + " beyond those the README reports judge Liffey on traces nobody has looked at.")
  String seeds;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description =
          "Simulations run at once, one per policy and trace (default: the number of processors).")
  Integer jobs;

  @Option(
      names = "--policy",
      split = ",",
      paramLabel = "NAME",
      completionCandidates = PolicyNames.class,
      description =
          "Policies to score (default: liffey,target-tracking,static,oracle; with --suite, every"
              + " one): ${COMPLETION-CANDIDATES}.")
  List<String> policies;

  @Option(
      names = "--json",
      description =
          "Print {\"trace\": ..., \"results\": [...]} (an array of those for several traces);"
              + " with --suite, every family's ratios and verdicts and every seed's scorecards.")
  boolean json;

  @Option(
      names = "--markdown",
      description = "Print one markdown table for all traces (with --suite, a row per family).")
  boolean markdown;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description =
          "Write a PNG chart per trace and region (demand against in-service capacity, per policy) and a"
              + " markdown summary into DIR.")
  Path report;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      defaultValue = "2026-12-01T18:00:00Z",
      description =
          "Simulated time of the trace's first row, for known events (default: ${DEFAULT-VALUE}).")
  Instant start;

  @Option(
      names = "--step-seconds",
      paramLabel = "N",
      description =
          "Serve the simulated demand in steps of at most N seconds, 1 to the tick (default: 2, how"
              + " soon the edge tells a refused viewer to try again). Policies read one set of metrics"
              + " per 10 s period whatever the step; with coarser steps capacity serves from the step"
              + " after it comes into service and refused viewers wait a step to retry.")
  Integer stepSeconds;

  @Option(
      names = "--noise-scale",
      paramLabel = "X",
      description =
          "With --suite: every market's viewer counts X times as noisy as the family drew them"
              + " (0.5-3%% a sample; default 1, 0 to 5): the same traces, counted more jitterily.")
  Double noiseScale;

  @Option(
      names = "--session-seconds",
      paramLabel = "N",
      description =
          "How long viewers watch on average (sessions end at random), for every market a trace"
              + " sets no session rows for (default: "
              + SimulatedCloud.DEFAULT_SESSION_SECONDS
              + "); a trace's own rows hold. With --suite, whether Liffey's results hold for"
              + " audiences that turn over faster or slower.")
  Integer sessionSeconds;

  @Option(
      names = "--session-cv",
      paramLabel = "X",
      description =
          "How widely session lengths spread about their mean, as a coefficient of variation, for"
              + " every market a trace sets no session_cv rows for: 1 (default) is exponential, 2-3"
              + " many zappers and a few who stay for hours, as live audiences are (up to 10). With"
              + " --suite, whether Liffey's results hold when a few viewers stay for hours.")
  Double sessionCv;

  @Option(
      names = "--reconnecting-players",
      paramLabel = "X",
      description =
          "The share of viewers whose players follow a relay's reconnect event (0 to 1), in every"
              + " region, instead of each relay's reconnectingPlayers: taken out, a relay hands them"
              + " over, and Liffey hands a slow region's viewers over with it. With --suite, what"
              + " players that follow buy.")
  Double reconnectingPlayers;

  @Option(
      names = "--baseline-routing",
      paramLabel = "fixed|liffey",
      defaultValue = "fixed",
      description =
          "How target-tracking, target-tracking-10s, step-scaling and predictive route the routed market's viewers:"
              + " fixed, the configured weights (default), or liffey, Liffey's router on top of their own capacity"
              + " decisions; compared, the two show what routing alone buys and what capacity buys. Static and the"
              + " oracles keep the configured weights.")
  String baselineRouting;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    switch (LiffeyCli.of(spec).output) {
      case JSON -> json = true;
      case YAML ->
          throw new UsageProblem(
              "simulate prints a table, --json (or -o json) or --markdown: not yaml");
      default -> {}
    }
    if ((traces == null) == (suite == null)) {
      throw new UsageProblem(
          "give --trace FILE or --suite FAMILY (one of them), e.g. --trace bundled:viral-spike or"
              + " --suite all");
    }
    if (suite == null && seeds != null) {
      throw new UsageProblem("--seeds goes with --suite, not --trace");
    }
    if (suite == null && noiseScale != null) {
      throw new UsageProblem(
          "--noise-scale goes with --suite (it scales the noise the families draw), not --trace");
    }
    if (suite != null && report != null) {
      throw new UsageProblem("--report charts --trace runs; with --suite use --markdown or --json");
    }
    List<String> scored =
        policies != null ? policies : suite != null ? Policies.NAMES : TRACE_POLICIES;
    for (String p : scored) {
      if (!Policies.NAMES.contains(p)) {
        throw new UsageProblem(
            "unknown policy '" + p + "': use one or more of " + String.join(",", Policies.NAMES));
      }
    }
    BaselineRouting routing;
    try {
      routing = BaselineRouting.named(baselineRouting);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(
          "--baseline-routing must be "
              + java.util.Arrays.stream(BaselineRouting.values())
                  .map(BaselineRouting::cliName)
                  .collect(java.util.stream.Collectors.joining(" or "))
              + ", got '"
              + baselineRouting
              + "'");
    }
    int threads = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
    if (threads < 1 || threads > MAX_JOBS) {
      throw new UsageProblem("--jobs must be 1 to " + MAX_JOBS + ", got " + threads);
    }
    if (suite != null) {
      return runSuite(out, err, scored, threads, routing);
    }
    // --noise-scale goes with --suite only: a trace is replayed as its rows count it.
    Replay replay = new Replay(sessions(), sessionCv(), 1, reconnectingPlayers());
    EdgeConfig edge = replay.configured(config.load(err).config());
    Duration step = longestStep(edge);
    List<Trace> loaded =
        TraceSpec.resolve(traces, edge, err).stream().map(replay::applied).toList();

    List<Callable<PolicyRun>> runs = new ArrayList<>();
    for (Trace trace : loaded) {
      for (String policy : scored) {
        runs.add(() -> run(edge, trace, policy, routing, step));
      }
    }
    Iterator<PolicyRun> done = ParallelRuns.run(threads, runs).iterator();
    List<TraceResult> results = new ArrayList<>();
    for (Trace trace : loaded) {
      Map<String, Scorecard> cards = new LinkedHashMap<>();
      Map<String, List<RegionStep>> steps = new LinkedHashMap<>();
      for (String policy : scored) {
        PolicyRun r = done.next();
        cards.put(policy, r.card());
        steps.put(policy, r.steps());
      }
      results.add(new TraceResult(trace, replay, cards, steps));
    }

    if (json) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      List<Map<String, Object>> docs = results.stream().map(TraceResult::toJson).toList();
      out.println(mapper.writeValueAsString(docs.size() == 1 ? docs.get(0) : docs));
    } else if (markdown) {
      out.print(
          SimulationReport.markdownTable(
              results.stream().map(r -> Map.entry(r.trace.name(), r.cards)).toList()));
    } else {
      results.forEach(r -> printTable(out, r));
    }
    if (report != null) {
      List<Path> written =
          new SimulationReport(edge)
              .write(
                  report,
                  results.stream()
                      .map(r -> new SimulationReport.TraceRun(r.trace.name(), r.cards, r.steps))
                      .toList());
      err.println("report: " + written.size() + " files in " + report);
    }
    return LiffeyCli.EXIT_OK;
  }

  private record PolicyRun(Scorecard card, List<RegionStep> steps) {}

  /** {@code --seeds}, checked: N or FIRST-LAST, at most {@link #MAX_SEEDS} of them. */
  private SeedRange seedRange() {
    if (seeds == null) {
      return SeedRange.firstN(DEFAULT_SEEDS);
    }
    Matcher m = SEEDS.matcher(seeds.strip());
    if (!m.matches()) {
      throw new UsageProblem(
          "--seeds is N (seeds 1 to N) or FIRST-LAST, like 30 or 31-60, got '" + seeds + "'");
    }
    long first = m.group(2) == null ? 1 : Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(m.group(2) == null ? 1 : 2));
    if (m.group(2) == null && (last < 1 || last > MAX_SEEDS)) {
      throw new UsageProblem("--seeds must be 1 to " + MAX_SEEDS + ", got " + last);
    }
    if (first < 1 || last < first) {
      throw new UsageProblem(
          "--seeds " + seeds + ": FIRST-LAST runs from a seed of 1 or more up to LAST, like 31-60");
    }
    if (last - first + 1 > MAX_SEEDS || last > SeedRange.MAX) {
      throw new UsageProblem(
          "--seeds "
              + seeds
              + ": at most "
              + MAX_SEEDS
              + " seeds a run, none above "
              + SeedRange.MAX);
    }
    return new SeedRange(first, last);
  }

  /** {@code --noise-scale}, checked; 1 when not given. */
  private double noiseScale() {
    if (noiseScale == null) {
      return 1;
    }
    if (!(noiseScale >= 0 && noiseScale <= MAX_NOISE_SCALE)) {
      throw new UsageProblem(
          "--noise-scale must be 0 to " + MAX_NOISE_SCALE + ", got " + noiseScale);
    }
    return noiseScale;
  }

  /** {@code --reconnecting-players}, checked; null (as configured) when not given. */
  private Double reconnectingPlayers() {
    if (reconnectingPlayers != null && !RelayFleet.takesReconnecting(reconnectingPlayers)) {
      throw new UsageProblem(
          "--reconnecting-players is the share of viewers whose players follow a relay's reconnect"
              + " event, 0 to 1, got "
              + reconnectingPlayers);
    }
    return reconnectingPlayers;
  }

  /** {@code --session-cv}, checked; 1 (exponential) when not given. */
  private double sessionCv() {
    if (sessionCv == null) {
      return SessionLength.MIN_CV;
    }
    if (!SessionLength.takes(sessionCv)) {
      throw new UsageProblem(
          String.format(
              Locale.ROOT,
              "--session-cv must be %.0f (exponential) to %.0f, got %s",
              SessionLength.MIN_CV,
              SessionLength.MAX_CV,
              sessionCv));
    }
    return sessionCv;
  }

  /** {@code --session-seconds}, checked; null: the traces' default. */
  private Duration sessions() {
    if (sessionSeconds == null) {
      return null;
    }
    if (sessionSeconds < MIN_SESSION_SECONDS || sessionSeconds > MAX_SESSION_SECONDS) {
      throw new UsageProblem(
          "--session-seconds must be "
              + MIN_SESSION_SECONDS
              + " to "
              + MAX_SESSION_SECONDS
              + " (a day), got "
              + sessionSeconds);
    }
    return Duration.ofSeconds(sessionSeconds);
  }

  /** {@code --step-seconds}, checked against the configured tick; null: the default. */
  private Duration longestStep(EdgeConfig edge) {
    if (stepSeconds == null) {
      return null;
    }
    long tick = edge.scaling().tick().toSeconds();
    if (stepSeconds < 1 || stepSeconds > tick) {
      throw new UsageProblem(
          "--step-seconds must be 1 to the tick ("
              + tick
              + " s, scaling.tickSeconds), got "
              + stepSeconds);
    }
    return Duration.ofSeconds(stepSeconds);
  }

  /**
   * One policy on one trace; what each region served step by step only when a report will chart it.
   */
  private PolicyRun run(
      EdgeConfig edge, Trace trace, String policy, BaselineRouting routing, Duration step) {
    Simulation.Prepared run =
        new Simulation(edge, trace, start, step)
            .prepare(() -> Policies.create(policy, edge, new TraceDemand(trace, start), routing));
    List<RegionStep> recorded = new ArrayList<>();
    while (run.hasNext()) {
      run.tick();
      if (report != null) {
        recorded.addAll(run.cloud().lastSteps());
      }
    }
    return new PolicyRun(run.scorecard(), recorded);
  }

  private int runSuite(
      PrintWriter out, PrintWriter err, List<String> scored, int threads, BaselineRouting routing)
      throws IOException {
    List<String> families = suite.equals(List.of("all")) ? ScenarioFamilies.names() : suite;
    for (String f : families) {
      if (!ScenarioFamilies.names().contains(f)) {
        throw new UsageProblem(
            "no family '"
                + f
                + "': use all or one or more of "
                + String.join(",", ScenarioFamilies.names()));
      }
    }
    if (!scored.contains(LiffeyPolicy.NAME)) {
      throw new UsageProblem(
          "the suite judges liffey against the baselines: add liffey to --policy");
    }
    SeedRange range = seedRange();
    Replay replay = new Replay(sessions(), sessionCv(), noiseScale(), reconnectingPlayers());
    EdgeConfig edge = replay.configured(config.load(err).config());
    Duration step = longestStep(edge);
    long began = System.nanoTime();
    List<FamilySummary> summaries;
    try {
      summaries =
          new SuiteRunner(edge, start, threads, routing, step)
              .replaying(replay)
              .run(families, range, scored);
    } catch (SuiteRunner.UnsupportedConfig e) {
      throw new UsageProblem(e.getMessage());
    }
    SuiteReport report = new SuiteReport(summaries, scored, range, replay);
    if (json) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(report.json()));
    } else if (markdown) {
      out.print(report.markdown());
    } else {
      out.print(report.text());
    }
    err.printf(
        Locale.ROOT,
        "suite: %d famil%s x %s x %d polic%s in %.0f s on %d thread%s%n",
        families.size(),
        families.size() == 1 ? "y" : "ies",
        range.words(),
        scored.size(),
        scored.size() == 1 ? "y" : "ies",
        (System.nanoTime() - began) / 1e9,
        threads,
        threads == 1 ? "" : "s");
    return report.met() ? LiffeyCli.EXIT_OK : LiffeyCli.EXIT_FAILURE;
  }

  /** The policies {@code --policy} takes, for its help. */
  static final class PolicyNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Policies.NAMES.iterator();
    }
  }

  /** The families --suite takes, for help and completion. */
  static final class SuiteFamilies implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return ScenarioFamilies.names().iterator();
    }
  }

  private static void printTable(PrintWriter out, TraceResult r) {
    out.printf(
        Locale.ROOT,
        "%s (%d min%s)%n",
        r.trace.name(),
        r.trace.length().toMinutes(),
        r.replay.words());
    // The policy column fits the longest name, so every row's figures stay under their headings.
    int width = Math.max(16, r.cards.keySet().stream().mapToInt(String::length).max().orElse(0));
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %16s %18s %14s %10s %12s %8s %7s %14s %10s%n",
        "policy",
        "unserved v·s",
        "served v·s",
        "slow v·s",
        "cost USD",
        "egress USD",
        "actions",
        "p95 ms",
        "shortened st·s",
        "bot inst·h");
    r.cards
        .values()
        .forEach(
            c ->
                out.printf(
                    Locale.ROOT,
                    "%-"
                        + width
                        + "s %,16.0f %,18.0f %,14.0f %10.2f %,12.2f %8d %7.0f %,14.0f %10.2f%n",
                    c.policy(),
                    c.unservedViewerSeconds(),
                    c.servedViewerSeconds(),
                    c.slowViewerSeconds(),
                    c.costUsd(),
                    c.egressUsd(),
                    c.scalingActions(),
                    c.p95LatencyMillis(),
                    c.degradedStreamSeconds(),
                    c.botCapacityInstanceHours()));
    List<String> judged = new TraceJudgement(r.trace.name(), r.cards).lines();
    if (!judged.isEmpty()) {
      out.println("liffey, judged as the suite judges a seed:");
      judged.forEach(l -> out.println("  " + l));
    }
    out.println();
  }

  private record TraceResult(
      Trace trace,
      Replay replay,
      Map<String, Scorecard> cards,
      Map<String, List<RegionStep>> steps) {
    Map<String, Object> toJson() {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("trace", trace.name());
      doc.putAll(replay.sessionsJson()); // a trace's counts are its own: no noise scale
      if (replay.reconnectingPlayers() != null) {
        doc.put("reconnectingPlayers", replay.reconnectingPlayers());
      }
      doc.put("results", List.copyOf(cards.values()));
      doc.putAll(new TraceJudgement(trace.name(), cards).json());
      return doc;
    }
  }
}
