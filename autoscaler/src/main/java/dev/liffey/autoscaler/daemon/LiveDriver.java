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

  /** @param leader whether this replica leads now (always, without leader election) */
  LiveDriver(ControlLoop loop, boolean dryRun, BooleanSupplier leader) {
    this.loop = loop;
    this.dryRun = dryRun;
    this.leader = leader;
  }

  @Override
  public void tick() {
    if (!leader.getAsBoolean()) {
      log.debug("standing by: another replica leads");
      return;
    }
    try {
      Decision d = once();
      if (!d.changesAnything()) {
        log.debug("{}", d.summary());
      }
    } catch (RuntimeException e) {
      log.error("tick failed, nothing acted on; next tick as scheduled: {}", e.toString());
    }
  }

  /** One tick; exceptions propagate (for --once). */
  Decision once() {
    Decision d = loop.tick();
    d.reasons().forEach(r -> log.info("{}{}", dryRun ? "(dry run) " : "", r));
    return d;
  }
}
