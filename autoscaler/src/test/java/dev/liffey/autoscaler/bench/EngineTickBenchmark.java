package dev.liffey.autoscaler.bench;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tick of Liffey's engine (forecast, route, plan, guard) for 1,000 or 10,000 fleets in 20
 * regions (50 or 500 a region), against the 10 s tick it must fit in (issue 10: 10,000 fleets under
 * 10 ms). Each invocation is the next tick, 10 s later, with noisy audiences.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class EngineTickBenchmark {
  static final int REGIONS = 20;

  /** 1 relay + 4 GPU groups + these services = 50 or 500 fleets a region. */
  @Param({"45", "495"})
  public int servicesPerRegion;

  private EdgeConfig config;
  private LiffeyPolicy policy;
  private Map<FleetId, FleetState> fleets;
  private Map<String, Integer> weights;
  private final Random random = new Random(1);
  private Instant now = Instant.parse("2026-12-01T20:00:00Z");

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    config = LargeEdge.build(REGIONS, servicesPerRegion);
    policy = new LiffeyPolicy(config);
    fleets = new HashMap<>();
    for (FleetSpec s : new FleetCatalog(config).all()) {
      fleets.put(
          s.id(), new FleetState(s.id(), s.min(), s.min(), 0, s.warmPoolSize(), s.warmPoolSize()));
    }
    if (fleets.size() != REGIONS * (5 + servicesPerRegion)) {
      throw new IllegalStateException(
          "expected " + REGIONS * (5 + servicesPerRegion) + " fleets, got " + fleets.size());
    }
    weights = config.routing().initialWeights();
  }

  @Benchmark
  public Decision tick() {
    now = now.plusSeconds(10);
    Map<MarketRegion, Sample> viewers = new HashMap<>();
    Map<MarketRegion, Sample> latency = new HashMap<>();
    Map<String, Sample> streams = new HashMap<>();
    for (Market m : config.markets()) {
      for (Market.ServedBy s : m.servedBy()) {
        MarketRegion key = new MarketRegion(m.code(), s.regionId());
        viewers.put(key, new Sample(20_000 + 400 * random.nextGaussian(), now));
        latency.put(key, new Sample(s.baseLatencyMillis() + 20, now));
      }
    }
    config.regionIds().forEach(r -> streams.put(r, new Sample(12, now)));
    Metrics metrics = new Metrics(now, viewers, latency, streams, Set.of());
    return policy.decide(new Observation(now, metrics, fleets, weights, ControlState.EMPTY));
  }
}
