package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.TickReport;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loop against the real world: one tick under a {@link TickFence} (its deadline, the
 * lease), one log line per change with its reasons, one warning per thing that could not be read or
 * done. A tick acts on what it could read; one that could not write its audit record acted on
 * nothing, is logged, and the next one runs as scheduled.
 */
final class LiveDriver implements Tick {
  private static final Logger log = LoggerFactory.getLogger("liffey");
  private final ControlLoop loop;
  private final boolean dryRun;
  private final Leadership leadership;
  private final Duration deadline;
  private final Duration spare;
  private final DaemonMetrics metrics;
  private final Consumer<TickReport> listener;
  private final DecisionLog decisions = new DecisionLog(log, LogFormat.fromEnvironment());

  /**
   * @param deadline how long a tick may take
   * @param spare how long the lease must stay this replica's for an actuation to start
   * @param listener told of every tick's report
   */
  LiveDriver(
      ControlLoop loop,
      boolean dryRun,
      Leadership leadership,
      Duration deadline,
      Duration spare,
      DaemonMetrics metrics,
      Consumer<TickReport> listener) {
    this.loop = loop;
    this.dryRun = dryRun;
    this.leadership = leadership;
    this.deadline = deadline;
    this.spare = spare;
    this.metrics = metrics;
    this.listener = listener;
  }

  @Override
  public void tick() {
    if (!leadership.isLeader()) {
      metrics.standby();
      log.debug("standing by: another replica leads");
      return;
    }
    try {
      once();
    } catch (RuntimeException e) {
      metrics.failed();
      log.error("tick failed, nothing acted on; next tick as scheduled: {}", e.toString());
    }
  }

  /** One tick; a failure to write the audit record propagates (for --once). */
  TickReport once() {
    long start = System.nanoTime();
    TickReport r = loop.tick(new TickFence(leadership, deadline, spare));
    metrics.tick(r, Duration.ofNanos(System.nanoTime() - start));
    decisions.decided(r, dryRun);
    r.problems().forEach(p -> log.warn("{}", p));
    listener.accept(r);
    return r;
  }
}
