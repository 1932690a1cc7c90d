package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The robustness suite: every family's trace for each seed of a {@link SeedRange}, every policy on
 * each, on {@link ParallelRuns}. Each trace is generated once, by the first run that needs it; the
 * results come back in family, seed and policy order.
 */
public final class SuiteRunner {
  private final EdgeConfig config;
  private final Instant start;
  private final int threads;
  private final BaselineRouting routing;
  private final Duration longestStep;

  /** How the families' traces are replayed. */
  private final Replay replay;

  public SuiteRunner(EdgeConfig config, Instant start, int threads) {
    this(config, start, threads, BaselineRouting.FIXED);
  }

  /**
   * @param routing how the AWS baselines route
   */
  public SuiteRunner(EdgeConfig config, Instant start, int threads, BaselineRouting routing) {
    this(config, start, threads, routing, null);
  }

  /**
   * @param longestStep serve demand in steps no longer than this (null: {@link
   *     SimulatedCloud#RETRY_AFTER})
   */
  public SuiteRunner(
      EdgeConfig config,
      Instant start,
      int threads,
      BaselineRouting routing,
      Duration longestStep) {
    this(config, start, threads, routing, longestStep, Replay.AS_DRAWN);
  }

  private SuiteRunner(
      EdgeConfig config,
      Instant start,
      int threads,
      BaselineRouting routing,
      Duration longestStep,
      Replay replay) {
    this.replay = replay;
    this.longestStep = longestStep;
    this.routing = routing;
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.config = config;
    this.start = start;
    this.threads = threads;
  }

  /**
   * The same suite replayed as {@code replay} says: whether Liffey's results hold for audiences
   * that turn over faster or slower than {@link SimulatedCloud#DEFAULT_SESSION}, whose sessions
   * spread wider than an exponential's, or that are counted more jitterily than the suite's 0.5-3%
   * a sample.
   */
  public SuiteRunner replaying(Replay replay) {
    return new SuiteRunner(config, start, threads, routing, longestStep, replay);
  }

  /**
   * A configuration the suite's families cannot be replayed in: they are drawn for the markets and
   * regions of the repository's {@code edge-regions.yaml}, and one it lacks is in a family's trace.
   */
  public static final class UnsupportedConfig extends IllegalArgumentException {
    UnsupportedConfig(String message) {
      super(message);
    }
  }

  /**
   * One summary per family, in the order given, a case per seed of {@code seeds}.
   *
   * @throws UnsupportedConfig when a family's trace names a market, region or GPU group the
   *     configuration does not have: before anything runs for a family's first seed
   */
  public List<FamilySummary> run(List<String> families, SeedRange seeds, List<String> policies) {
    Map<String, Prepared> traces = new ConcurrentHashMap<>();
    // Every family's first trace, read before any run: a market or region the configuration lacks
    // is one message naming them all, not one family's failure in the middle of a parallel run.
    // (A GPU group a later seed's shortage names is found when that seed is read.)
    List<String> lacking = new ArrayList<>();
    List<String> lackedBy = new ArrayList<>();
    for (String family : families) {
      try {
        traces.put(key(family, seeds.first()), parse(family, seeds.first()));
      } catch (InvalidTraceException e) {
        lacking.addAll(lacking(family, seeds.first(), e));
        lackedBy.add(family);
      }
    }
    if (!lacking.isEmpty()) {
      boolean every = lackedBy.size() == families.size();
      throw unsupported(
          lacking,
          every
              ? (families.size() == 1 ? families.get(0) : "every family asked for")
              : String.join(", ", lackedBy),
          every);
    }
    List<Callable<Scorecard>> runs = new ArrayList<>();
    for (String family : families) {
      for (long seed = seeds.first(); seed <= seeds.last(); seed++) {
        long s = seed;
        for (String policy : policies) {
          runs.add(
              () ->
                  new Simulation(
                          config,
                          traces.computeIfAbsent(key(family, s), k -> prepare(family, s)).trace(),
                          start,
                          longestStep)
                      .run(policy, routing));
        }
      }
    }
    Iterator<Scorecard> cards = ParallelRuns.run(threads, runs).iterator();
    List<FamilySummary> out = new ArrayList<>();
    for (String family : families) {
      List<SuiteCase> cases = new ArrayList<>();
      for (long seed = seeds.first(); seed <= seeds.last(); seed++) {
        Map<String, Scorecard> byPolicy = new LinkedHashMap<>();
        for (String policy : policies) {
          byPolicy.put(policy, cards.next());
        }
        cases.add(
            new SuiteCase(family, seed, traces.get(key(family, seed)).parameters(), byPolicy));
      }
      out.add(new FamilySummary(family, cases));
    }
    return out;
  }

  /**
   * A trace problem that is the configuration's, not the generator's ({@link TraceParser}'s words
   * after the line's location): a market, region or GPU group it does not have.
   */
  private static final Pattern LACKING =
      Pattern.compile("^.*?:\\d+: (unknown (?:market|region|GPU group) .*)$");

  private static String key(String family, long seed) {
    return family + "#" + seed;
  }

  private record Prepared(Trace trace, String parameters) {}

  private Prepared prepare(String family, long seed) {
    try {
      return parse(family, seed);
    } catch (InvalidTraceException e) {
      throw unsupported(lacking(family, seed, e), family + " seed " + seed, false);
    }
  }

  /**
   * What the configuration lacks that {@code family}'s trace names, each problem in {@link
   * TraceParser}'s words; a problem of any other kind is the generator's, thrown as such.
   */
  private static List<String> lacking(String family, long seed, InvalidTraceException e) {
    List<String> missing = new ArrayList<>();
    for (String problem : e.problems()) {
      Matcher m = LACKING.matcher(problem);
      if (!m.matches()) {
        throw new IllegalStateException(
            "the generator made an invalid trace for "
                + family
                + " seed "
                + seed
                + ": "
                + String.join("; ", e.problems()),
            e);
      }
      missing.add(m.group(1));
    }
    return missing;
  }

  /**
   * The configuration lacks {@code lacking}, which {@code users} (every family asked for, or not)
   * use.
   */
  private static UnsupportedConfig unsupported(
      Collection<String> lacking, String users, boolean everyFamily) {
    return new UnsupportedConfig(
        "the suite's families are drawn for the markets and regions of the repository's"
            + " edge-regions.yaml (IE, GB and DE, on eu-west-1, eu-west-2 and eu-central-1), and"
            + " this configuration lacks some that "
            + users
            + " use: "
            + String.join("; ", new TreeSet<>(lacking))
            + (everyFamily
                ? ". Add them, or replay traces of your own (--trace)"
                : ". Add them, leave those families out (--suite FAMILY,...), or replay traces"
                    + " of your own (--trace)"));
  }

  private Prepared parse(String family, long seed) throws InvalidTraceException {
    ScenarioFamilies.Generated g = ScenarioFamilies.generate(family, seed, replay.noiseScale());
    try {
      Trace trace =
          new TraceParser(config).parse(family + " seed " + seed, new StringReader(g.csv()));
      return new Prepared(replay.applied(trace), g.parameters());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
