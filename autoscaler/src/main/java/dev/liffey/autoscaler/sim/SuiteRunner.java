package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The robustness suite: every family's trace for seeds 1..N, every policy on each, in parallel. Each
 * run has its own simulated cloud and policy, so runs share nothing but the immutable traces; the
 * results come back in family, seed and policy order whatever the threads did.
 */
public final class SuiteRunner {
  private final EdgeConfig config;
  private final Instant start;
  private final int threads;

  public SuiteRunner(EdgeConfig config, Instant start, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.config = config;
    this.start = start;
    this.threads = threads;
  }

  /** One summary per family, in the order given; seeds 1 to {@code seeds}. */
  public List<FamilySummary> run(List<String> families, int seeds, List<String> policies) {
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds must be at least 1, got " + seeds);
    }
    Map<String, Prepared> traces = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "liffey-suite");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<String, Map<Long, Map<String, Future<Scorecard>>>> runs = new LinkedHashMap<>();
      for (String family : families) {
        for (long seed = 1; seed <= seeds; seed++) {
          long s = seed;
          for (String policy : policies) {
            runs.computeIfAbsent(family, f -> new LinkedHashMap<>()).computeIfAbsent(seed, x -> new LinkedHashMap<>())
                .put(policy, pool.submit(() -> {
                  Trace trace = traces.computeIfAbsent(family + "#" + s, k -> prepare(family, s)).trace();
                  return new Simulation(config, trace, start).run(policy);
                }));
          }
        }
      }
      List<FamilySummary> out = new ArrayList<>();
      for (var family : runs.entrySet()) {
        List<SuiteCase> cases = new ArrayList<>();
        for (var seed : family.getValue().entrySet()) {
          Map<String, Scorecard> cards = new LinkedHashMap<>();
          for (var policy : seed.getValue().entrySet()) {
            cards.put(policy.getKey(), await(policy.getValue()));
          }
          cases.add(new SuiteCase(family.getKey(), seed.getKey(),
              traces.get(family.getKey() + "#" + seed.getKey()).parameters(), cards));
        }
        out.add(new FamilySummary(family.getKey(), cases));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private record Prepared(Trace trace, String parameters) {}

  private Prepared prepare(String family, long seed) {
    ScenarioFamilies.Generated g = ScenarioFamilies.generate(family, seed);
    try {
      return new Prepared(new TraceParser(config).parse(family + " seed " + seed, new StringReader(g.csv())),
          g.parameters());
    } catch (InvalidTraceException e) {
      throw new IllegalStateException("the generator made an invalid trace for " + family + " seed " + seed + ": "
          + String.join("; ", e.problems()), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Scorecard await(Future<Scorecard> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the suite ran", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
