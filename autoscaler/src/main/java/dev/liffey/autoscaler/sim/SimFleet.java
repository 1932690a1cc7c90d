package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One simulated Auto Scaling group (or deployment): instances pending for a cold or warm boot, a
 * warm pool of stopped instances that refills itself (launched, initialised and stopped: billed
 * running until it stops), instances taken out by a scale-in that drain their viewers for up to the
 * drain timeout (admitting no one, billed running) before they stop into the pool or terminate.
 * With reuse on scale-in an instance taken out joins the pool as it starts draining (AWS's {@code
 * Warmed:Pending} state), so the group launches no refill for a place it is about to take.
 */
final class SimFleet {
  final FleetSpec spec;
  private final Duration drainTimeout;
  private int desired;
  private int inService;
  private final Deque<Instant> pending = new ArrayDeque<>();
  private final Deque<Instant> draining = new ArrayDeque<>();
  private int warm;
  private final Deque<Instant> refilling = new ArrayDeque<>();
  private int poolSize;
  private int available = Integer.MAX_VALUE;
  private long changes;

  /**
   * @param drainTimeout how long an instance taken out keeps its viewers; zero: it goes at once
   */
  SimFleet(FleetSpec spec, Duration drainTimeout) {
    this.spec = spec;
    this.drainTimeout = drainTimeout;
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
    launchMissing(now);
    int launching = desired - inService - pending.size();
    for (; launching < 0; launching++) {
      if (!pending.isEmpty()) {
        pending.removeLast();
      } else if (inService > 0) {
        inService--;
        if (drainTimeout.isZero()) {
          leave();
        } else {
          draining.addLast(now.plus(drainTimeout));
        }
      }
    }
  }

  /**
   * Starts instances towards the desired capacity, from the warm pool first, as far as EC2 has the
   * type (a launch EC2 refuses fails, and the group tries again later).
   */
  private void launchMissing(Instant now) {
    while (inService + pending.size() < desired && inService + pending.size() < available) {
      if (warm > 0) {
        warm--;
        pending.addLast(now.plus(spec.warmBoot()));
      } else {
        pending.addLast(now.plus(spec.coldBoot()));
      }
    }
  }

  /**
   * How many instances of the type EC2 can run for this group now ({@link Integer#MAX_VALUE}: no
   * shortage).
   */
  void available(int instances) {
    this.available = Math.max(0, instances);
  }

  /**
   * An instance out of service for good: it stops into the pool if the pool has room (reuse on
   * scale-in).
   */
  private void leave() {
    if (warm + refilling.size() < poolSize) {
      warm++;
    }
  }

  /**
   * Lets draining instances that no longer hold viewers go: only {@code stillHolding} of them still
   * have viewers on them (the lifecycle hook completes as soon as a relay is empty).
   */
  void releaseEmpty(int stillHolding) {
    while (draining.size() > Math.max(0, stillHolding)) {
      draining.removeLast();
      leave();
    }
  }

  /** Instances holding viewers: in service, and draining. */
  int holding() {
    return inService + draining.size();
  }

  void advance(Instant now) {
    while (!pending.isEmpty() && !pending.peekFirst().isAfter(now)) {
      pending.removeFirst();
      inService++;
    }
    // The drain timeout: whoever is still on the instance is dropped (the caller sees the capacity
    // go).
    while (!draining.isEmpty() && !draining.peekFirst().isAfter(now)) {
      draining.removeFirst();
      leave();
    }
    while (!refilling.isEmpty() && !refilling.peekFirst().isAfter(now)) {
      refilling.removeFirst();
      warm++;
    }
    launchMissing(now);
    // The group launches, initialises and stops new instances until the pool is full again; those
    // draining towards it count as its members.
    while (warm + refilling.size() + draining.size() < poolSize) {
      refilling.addLast(now.plus(spec.coldBoot()));
    }
    while (warm > poolSize) {
      warm--;
    }
  }

  double costUsd(Duration dt) {
    double hours = dt.toMillis() / 3_600_000.0;
    // Instances refilling the pool run while they initialise; draining ones run until they go.
    return hours
        * ((inService + pending.size() + draining.size() + refilling.size()) * spec.hourlyPriceUsd()
            + warm * spec.warmHourlyPriceUsd());
  }

  int inService() {
    return inService;
  }

  long changes() {
    return changes;
  }

  FleetState state() {
    // EC2 refused what the group asked for: the shortage its scaling activities would show.
    boolean short_ =
        desired > inService + pending.size() && inService + pending.size() >= available;
    return new FleetState(spec.id(), desired, inService, pending.size(), warm, poolSize, short_);
  }
}
