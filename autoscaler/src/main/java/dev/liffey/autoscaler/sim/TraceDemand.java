package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.DemandOracle;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleUnaryOperator;

/** A trace, seen from the baselines that know the future: its demand and its GPU shortages. */
public final class TraceDemand implements DemandOracle {
  private final Trace trace;
  private final Instant start;

  public TraceDemand(Trace trace, Instant start) {
    this.trace = trace;
    this.start = start;
  }

  /** The trace replayed. */
  Trace trace() {
    return trace;
  }

  @Override
  public double viewers(String market, Instant at) {
    return trace.valueAt(TraceKind.VIEWERS, market, seconds(at));
  }

  @Override
  public double streams(String region, Instant at) {
    return trace.valueAt(TraceKind.STREAMS, region, seconds(at));
  }

  @Override
  public DoubleUnaryOperator stillWatching(String market, Instant at) {
    return trace.session(market, seconds(at))::stillWatching;
  }

  @Override
  public int available(String region, String instanceType, Instant at) {
    return trace.gpuAvailable(region, instanceType, seconds(at));
  }

  @Override
  public Instant start() {
    return start;
  }

  @Override
  public Instant end() {
    return start.plus(trace.length());
  }

  private double seconds(Instant at) {
    return Duration.between(start, at).toMillis() / 1000.0;
  }
}
