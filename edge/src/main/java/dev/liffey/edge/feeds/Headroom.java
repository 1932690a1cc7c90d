package dev.liffey.edge.feeds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a relay under its CPU and egress limits by giving viewers lower renditions rather than
 * refusing or stalling them: each tick above a limit, a tenth of the viewers (at least one) go one
 * rendition down, the tallest first; once the load has stayed below {@link #RESTORE_BELOW} of its
 * limits for {@link #CALM}, a tenth go back up towards what they asked for, a tick at a time. The
 * band between is held, so a step up that brings the load back near the limit is not undone and
 * redone every tick. Ticked from one thread.
 */
public final class Headroom {
  private static final Logger log = LoggerFactory.getLogger(Headroom.class);

  /** The share of a limit below which viewers are given their renditions back. */
  static final double RESTORE_BELOW = 0.7;

  /** How long the load must stay below that before a step up. */
  static final Duration CALM = Duration.ofSeconds(30);

  /** The share of the viewers moved a tick. */
  static final double STEP = 0.1;

  /** What this relay is doing now: CPU used (0-1, the whole machine) and bits sent a second. */
  public record Load(double cpu, OptionalDouble egressBitsPerSecond) {}

  /** Where viewers are moved down and up (the relay's {@link Feeds}). */
  public interface Renditions {
    int watchingCount();

    int stepDown(int max);

    int stepUp(int max);
  }

  private final Supplier<Load> meter;
  private final double cpuLimit;
  private final OptionalDouble egressLimit;
  private final Renditions renditions;
  private final Clock clock;
  private Instant calmSince;

  /**
   * @param cpuLimit the CPU share (0-1) above which viewers are moved down
   * @param egressLimit the bits a second above which they are, when known
   */
  public Headroom(
      Supplier<Load> meter,
      double cpuLimit,
      OptionalDouble egressLimit,
      Renditions renditions,
      Clock clock) {
    this.meter = meter;
    this.cpuLimit = cpuLimit;
    this.egressLimit = egressLimit;
    this.renditions = renditions;
    this.clock = clock;
  }

  /** The load as a share of the nearer limit (1.0: at it). */
  double pressure(Load load) {
    double p = load.cpu() / cpuLimit;
    if (egressLimit.isPresent() && load.egressBitsPerSecond().isPresent()) {
      p = Math.max(p, load.egressBitsPerSecond().getAsDouble() / egressLimit.getAsDouble());
    }
    return p;
  }

  /** A tenth of the viewers watching, at least one: counted only on a tick that moves some. */
  private int step() {
    return Math.max(1, (int) Math.ceil(renditions.watchingCount() * STEP));
  }

  public void tick() {
    Instant now = clock.instant();
    Load load = meter.get();
    double pressure = pressure(load);
    if (pressure > 1) {
      calmSince = null;
      int moved = renditions.stepDown(step());
      if (moved > 0) {
        log.warn(
            "at {}% of the relay's limits (CPU {}%{}): {} viewers moved one rendition down",
            Math.round(pressure * 100),
            Math.round(load.cpu() * 100),
            load.egressBitsPerSecond().isPresent()
                ? ", egress " + Math.round(load.egressBitsPerSecond().getAsDouble() / 1e6) + " Mb/s"
                : "",
            moved);
      }
      return;
    }
    if (pressure >= RESTORE_BELOW) {
      calmSince = null;
      return;
    }
    if (calmSince == null) {
      calmSince = now;
    }
    if (Duration.between(calmSince, now).compareTo(CALM) >= 0) {
      int moved = renditions.stepUp(step());
      if (moved > 0) {
        log.info(
            "at {}% of the relay's limits: {} viewers moved one rendition back up",
            Math.round(pressure * 100), moved);
      }
    }
  }
}
