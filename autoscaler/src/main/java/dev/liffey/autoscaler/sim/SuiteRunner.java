package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

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

  /** One summary per family, in the order given, a case per seed of {@code seeds}. */
  public List<FamilySummary> run(List<String> families, SeedRange seeds, List<String> policies) {
    Map<String, Prepared> traces = new ConcurrentHashMap<>();
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

  private static String key(String family, long seed) {
    return family + "#" + seed;
  }

  private record Prepared(Trace trace, String parameters) {}

  private Prepared prepare(String family, long seed) {
    ScenarioFamilies.Generated g = ScenarioFamilies.generate(family, seed, replay.noiseScale());
    try {
      Trace trace =
          new TraceParser(config).parse(family + " seed " + seed, new StringReader(g.csv()));
      return new Prepared(replay.applied(trace), g.parameters());
    } catch (InvalidTraceException e) {
      throw new IllegalStateException(
          "the generator made an invalid trace for "
              + family
              + " seed "
              + seed
              + ": "
              + String.join("; ", e.problems()),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
