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
 * The robustness suite: every family's trace for seeds 1..N, every policy on each, on {@link
 * ParallelRuns}. Each trace is generated once, by the first run that needs it; the results come
 * back in family, seed and policy order.
 */
public final class SuiteRunner {
  private final EdgeConfig config;
  private final Instant start;
  private final int threads;
  private final BaselineRouting routing;
  private final Duration longestStep;

  /**
   * Every trace's mean session where it sets none; null: {@link SimulatedCloud#DEFAULT_SESSION}.
   */
  private final Duration sessions;

  /**
   * What every market's drawn viewer noise is multiplied by ({@link ScenarioFamilies#generate}).
   */
  private final double noiseScale;

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
    this(config, start, threads, routing, longestStep, null, 1);
  }

  private SuiteRunner(
      EdgeConfig config,
      Instant start,
      int threads,
      BaselineRouting routing,
      Duration longestStep,
      Duration sessions,
      double noiseScale) {
    this.sessions = sessions;
    this.noiseScale = noiseScale;
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
   * The same suite with viewers who watch for {@code mean} on average (the generated traces set no
   * session of their own): whether Liffey's results hold for audiences that turn over faster or
   * slower than {@link SimulatedCloud#DEFAULT_SESSION}.
   *
   * @throws IllegalArgumentException unless {@code mean} is positive
   */
  public SuiteRunner withSessions(Duration mean) {
    return new SuiteRunner(
        config, start, threads, routing, longestStep, Trace.requireSession(mean), noiseScale);
  }

  /**
   * The same suite with every market's viewer counts {@code scale} times as noisy as drawn (the
   * same draws otherwise): whether Liffey's results hold for audiences counted more jitterily than
   * the suite's 0.5-3% a sample.
   *
   * @throws IllegalArgumentException for a scale below 0
   */
  public SuiteRunner withNoise(double scale) {
    // Checked here, not only where a worker thread generates the first trace.
    return new SuiteRunner(
        config,
        start,
        threads,
        routing,
        longestStep,
        sessions,
        ScenarioFamilies.requireNoiseScale(scale));
  }

  /** One summary per family, in the order given; seeds 1 to {@code seeds}. */
  public List<FamilySummary> run(List<String> families, int seeds, List<String> policies) {
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds must be at least 1, got " + seeds);
    }
    Map<String, Prepared> traces = new ConcurrentHashMap<>();
    List<Callable<Scorecard>> runs = new ArrayList<>();
    for (String family : families) {
      for (long seed = 1; seed <= seeds; seed++) {
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
      for (long seed = 1; seed <= seeds; seed++) {
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
    ScenarioFamilies.Generated g = ScenarioFamilies.generate(family, seed, noiseScale);
    try {
      Trace trace =
          new TraceParser(config).parse(family + " seed " + seed, new StringReader(g.csv()));
      return new Prepared(
          sessions == null ? trace : trace.withDefaultSession(sessions), g.parameters());
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
