package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetPlan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * What the daemon exposes on {@code /metrics} (Prometheus format): ticks by outcome, decisions that
 * changed something, actuations by kind, tick duration, seconds since the last good tick, whether
 * this replica leads, AWS calls by operation, and per market the viewers observed against the
 * viewers forecast one boot horizon ahead. Thread-safe.
 */
final class DaemonMetrics {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer tickDuration = Timer.builder("liffey.tick.duration").description("one control-loop tick")
      .register(registry);
  private final AtomicReference<Instant> lastGoodTick = new AtomicReference<>();
  private final Map<String, double[]> forecasts = new ConcurrentHashMap<>();
  // Micrometer holds gauge objects weakly: the gauges observe this object, which holds the rest.
  private final BooleanSupplier leader;

  DaemonMetrics(BooleanSupplier leader) {
    this.leader = leader;
    registry.gauge("liffey.last.tick.age.seconds", this, m -> m.lastGoodTick.get() == null ? Double.NaN
        : Duration.between(m.lastGoodTick.get(), Instant.now()).toMillis() / 1000.0);
    registry.gauge("liffey.leader", this, m -> m.leader.getAsBoolean() ? 1 : 0);
  }

  void tick(Decision d, Duration took) {
    tickDuration.record(took);
    lastGoodTick.set(Instant.now());
    counter("liffey.ticks", "outcome", "ok").increment();
    if (d.changesAnything()) {
      counter("liffey.decisions.changed", "policy", d.policy()).increment();
    }
    for (FleetPlan p : d.changes()) {
      counter("liffey.actuations", "kind", p.fleet().kind().label()).increment();
    }
    d.routing().filter(r -> r.changes()).ifPresent(r -> counter("liffey.actuations", "kind", "routing").increment());
    d.forecasts().forEach((market, p) -> {
      double[] values = forecasts.computeIfAbsent(market, m -> {
        double[] v = new double[2];
        registry.gauge("liffey.viewers.observed", Tags.of("market", m), v, a -> a[0]);
        registry.gauge("liffey.viewers.forecast", Tags.of("market", m, "horizon", p.horizon().toSeconds() + "s"), v,
            a -> a[1]);
        return v;
      });
      values[0] = p.observedViewers();
      values[1] = p.forecastViewers();
    });
  }

  void failed() {
    counter("liffey.ticks", "outcome", "failed").increment();
  }

  void standby() {
    counter("liffey.ticks", "outcome", "standby").increment();
  }

  Instant lastGoodTick() {
    return lastGoodTick.get();
  }

  /** Counts every AWS call, by operation. */
  ExecutionInterceptor awsCalls() {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        counter("liffey.aws.calls", "operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
            .increment();
      }
    };
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag(tag, value).register(registry);
  }
}
