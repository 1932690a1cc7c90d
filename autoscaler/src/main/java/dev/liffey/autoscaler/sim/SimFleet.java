package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One simulated Auto Scaling group (or deployment): instances pending for a cold or warm boot, a
 * warm pool of stopped instances that refills itself, billing for running and stopped instances.
 */
final class SimFleet {
  final FleetSpec spec;
  private int desired;
  private int inService;
  private final Deque<Instant> pending = new ArrayDeque<>();
  private int warm;
  private final Deque<Instant> refilling = new ArrayDeque<>();
  private int poolSize;
  private long changes;

  SimFleet(FleetSpec spec) {
    this.spec = spec;
    this.poolSize = spec.warmPoolSize();
    this.warm = poolSize;
  }

  /** Starts converged: {@code units} in service, a full pool. */
  void startWith(int units) {
    desired = spec.clamp(units);
    inService = desired;
    pending.clear();
  }

  void setCapacity(int target, int pool, Instant now) {
    target = spec.clamp(target);
    poolSize = Math.max(0, pool);
    if (target != desired) {
      changes++;
    }
    desired = target;
    int launching = desired - inService - pending.size();
    for (; launching > 0; launching--) {
      if (warm > 0) {
        warm--;
        pending.addLast(now.plus(spec.warmBoot()));
      } else {
        pending.addLast(now.plus(spec.coldBoot()));
      }
    }
    for (; launching < 0; launching++) {
      if (!pending.isEmpty()) {
        pending.removeLast();
      } else if (inService > 0) {
        inService--;
        if (warm + refilling.size() < poolSize) {
          warm++; // reuse on scale-in: the instance stops into the pool
        }
      }
    }
  }

  void advance(Instant now) {
    while (!pending.isEmpty() && !pending.peekFirst().isAfter(now)) {
      pending.removeFirst();
      inService++;
    }
    while (!refilling.isEmpty() && !refilling.peekFirst().isAfter(now)) {
      refilling.removeFirst();
      warm++;
    }
    // The group launches, initialises and stops new instances until the pool is full again.
    while (warm + refilling.size() < poolSize) {
      refilling.addLast(now.plus(spec.coldBoot()));
    }
    while (warm > poolSize) {
      warm--;
    }
  }

  double costUsd(Duration dt) {
    double hours = dt.toMillis() / 3_600_000.0;
    return hours * ((inService + pending.size()) * spec.hourlyPriceUsd()
        + (warm + refilling.size()) * spec.warmHourlyPriceUsd());
  }

  int inService() {
    return inService;
  }

  long changes() {
    return changes;
  }

  FleetState state() {
    return new FleetState(spec.id(), desired, inService, pending.size(), warm, poolSize);
  }
}
