package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.Decision;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loop against the real world: one tick, one log line per change with its reasons. A
 * failed tick is logged and the next one runs as scheduled; it never acted, because the loop
 * records before it acts and the adapters leave out what they could not read.
 */
final class LiveDriver implements Tick {
  private static final Logger log = LoggerFactory.getLogger("liffey");
  private final ControlLoop loop;
  private final boolean dryRun;
  private final BooleanSupplier leader;
  private final DaemonMetrics metrics;

  /** @param leader whether this replica leads now (always, without leader election) */
  LiveDriver(ControlLoop loop, boolean dryRun, BooleanSupplier leader, DaemonMetrics metrics) {
    this.loop = loop;
    this.dryRun = dryRun;
    this.leader = leader;
    this.metrics = metrics;
  }

  @Override
  public void tick() {
    if (!leader.getAsBoolean()) {
      metrics.standby();
      log.debug("standing by: another replica leads");
      return;
    }
    try {
      Decision d = once();
      if (!d.changesAnything()) {
        log.debug("{}", d.summary());
      }
    } catch (RuntimeException e) {
      metrics.failed();
      log.error("tick failed, nothing acted on; next tick as scheduled: {}", e.toString());
    }
  }

  /** One tick; exceptions propagate (for --once). */
  Decision once() {
    long start = System.nanoTime();
    Decision d = loop.tick();
    metrics.tick(d, java.time.Duration.ofNanos(System.nanoTime() - start));
    if (d.changesAnything()) {
      log.info("{}{}", dryRun ? "(dry run) " : "", d.summary()); // one line per decision, every reason in it
    }
    return d;
  }
}
