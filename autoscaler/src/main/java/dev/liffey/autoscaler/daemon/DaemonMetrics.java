package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.engine.Actuation;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.TickReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * What the daemon exposes on {@code /metrics} (Prometheus format): ticks by outcome (ok, degraded:
 * something could not be read or done; failed: nothing acted on; standby), decisions that changed
 * something, actuations by kind, what went wrong by kind (reads failed, metric values refused,
 * control-table problems, actuations failed, ticks abandoned; reads failed by input, so a region's
 * cluster out of reach or misdirected weighted records show by name), tick duration, seconds since
 * the last good tick, whether this replica leads and how often that changed, AWS calls by
 * operation, and per market the viewers observed against the viewers forecast one boot horizon
 * ahead. Thread-safe.
 */
final class DaemonMetrics {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer tickDuration =
      Timer.builder("liffey.tick.duration").description("one control-loop tick").register(registry);
  private final AtomicReference<Instant> lastGoodTick = new AtomicReference<>();
  private final Map<String, double[]> forecasts = new ConcurrentHashMap<>();
  // Micrometer holds gauge objects weakly: the gauges observe this object, which holds the rest.
  private final BooleanSupplier leader;

  DaemonMetrics(BooleanSupplier leader) {
    this.leader = leader;
    // Before the first good tick, from the start: NaN there would never cross an alert's bound,
    // so a leader whose first tick hangs would go silent unnoticed.
    Instant started = Instant.now();
    registry.gauge(
        "liffey.last.tick.age.seconds",
        this,
        m ->
            Duration.between(
                        Optional.ofNullable(m.lastGoodTick.get()).orElse(started), Instant.now())
                    .toMillis()
                / 1000.0);
    registry.gauge("liffey.leader", this, m -> m.leader.getAsBoolean() ? 1 : 0);
    // Every label value exported from the start at 0, so rates and ratios over them exist before
    // the first of each.
    for (String change : new String[] {"gained", "lost"}) {
      counter("liffey.leader.changes", "change", change);
    }
    for (String outcome : new String[] {"ok", "degraded", "failed", "standby"}) {
      counter("liffey.ticks", "outcome", outcome);
    }
    for (String input : ControlLoop.INPUTS) {
      counter("liffey.reads.failed", "input", input);
    }
  }

  /** A tick that ran to its end (some of it may have failed: see the report). */
  void tick(TickReport r, Duration took) {
    Decision d = r.decision();
    tickDuration.record(took);
    lastGoodTick.set(Instant.now());
    counter("liffey.ticks", "outcome", r.complete() ? "ok" : "degraded").increment();
    if (r.acted()) {
      counter("liffey.decisions.changed", "policy", d.policy()).increment();
    }
    for (Actuation a : r.done()) {
      counter("liffey.actuations", "kind", a.fleet().kind().label()).increment();
    }
    r.routed().ifPresent(x -> counter("liffey.actuations", "kind", "routing").increment());
    for (String line : r.unread()) {
      // By input: a region's cluster that cannot be reached, weighted records misdirected...
      counter("liffey.reads.failed", "input", input(line)).increment();
    }
    add("liffey.metrics.refused", r.refusedMetrics().size());
    add("liffey.control.problems", r.controlProblems().size());
    add("liffey.actuations.failed", r.failed().size());
    add("liffey.ticks.abandoned", r.abandoned().isPresent() ? 1 : 0);
    // Under the lock leaderChanged takes: a tick finishing as leadership is lost must not
    // register gauges the loss has just removed.
    synchronized (forecasts) {
      d.forecasts()
          .forEach(
              (market, p) -> {
                double[] values =
                    forecasts.computeIfAbsent(
                        market,
                        m -> {
                          double[] v = new double[2];
                          registry.gauge(
                              "liffey.viewers.observed", Tags.of("market", m), v, a -> a[0]);
                          registry.gauge(
                              "liffey.viewers.forecast",
                              Tags.of("market", m, "horizon", p.horizon().toSeconds() + "s"),
                              v,
                              a -> a[1]);
                          return v;
                        });
                values[0] = p.observedViewers();
                values[1] = p.forecastViewers();
              });
    }
  }

  private static String input(String unreadLine) {
    return ControlLoop.INPUTS.stream().filter(unreadLine::startsWith).findFirst().orElse("other");
  }

  void failed() {
    counter("liffey.ticks", "outcome", "failed").increment();
  }

  void standby() {
    counter("liffey.ticks", "outcome", "standby").increment();
  }

  /**
   * This replica gained ({@code true}) or lost leadership. Losing it removes the viewers observed
   * and forecast: a standby's last values, frozen, would add to the leader's in a dashboard's sum
   * and keep an alert on them firing; the next tick it leads exports them again.
   */
  void leaderChanged(boolean gained) {
    counter("liffey.leader.changes", "change", gained ? "gained" : "lost").increment();
    if (!gained) {
      synchronized (forecasts) {
        for (String name : new String[] {"liffey.viewers.observed", "liffey.viewers.forecast"}) {
          registry.find(name).meters().forEach(registry::remove);
        }
        forecasts.clear();
      }
    }
  }

  Instant lastGoodTick() {
    return lastGoodTick.get();
  }

  private void add(String name, int n) {
    Counter c = Counter.builder(name).register(registry);
    if (n > 0) {
      c.increment(n);
    }
  }

  /** Counts every AWS call, by operation. */
  ExecutionInterceptor awsCalls() {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        counter(
                "liffey.aws.calls",
                "operation",
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
            .increment();
      }
    };
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag(tag, value).register(registry);
  }
}
