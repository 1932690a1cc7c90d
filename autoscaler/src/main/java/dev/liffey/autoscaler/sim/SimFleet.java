package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One simulated Auto Scaling group (or deployment): instances pending for a cold or warm boot, a
 * warm pool of stopped instances that refills itself (launched, initialised and stopped: billed
 * running until it stops), instances taken out by a scale-in that drain their viewers for up to the
 * drain timeout (admitting no one, billed running) before they stop into the pool or terminate. A
 * relay taken out asks its viewers' players to reconnect: those whose players follow the event join
 * again elsewhere, each leaving the old relay once a new one admits it. With reuse on scale-in an
 * instance taken out joins the pool as it starts draining (AWS's {@code Warmed:Pending} state), so
 * the group launches no refill for a place it is about to take. EC2 bills each start a minute at
 * least ({@link #MINIMUM_BILLED}): a launch cancelled sooner is billed the rest of its minute. (One
 * that reached service and goes within its first minute, possible only after a warm boot, is not
 * charged the rest: not modelled, and it flatters only the policy that does it.) A deployment's
 * replicas start on its cluster's nodes ({@link SimCluster}): at once where a node has room, after
 * a new node's arrival where none has, and not at all while the cluster is at its ceiling.
 */
final class SimFleet {
  final FleetSpec spec;
  private final Duration drainTimeout;
  private final double reconnecting;
  private final SimCluster cluster;

  /** A relay group's viewers per relay in service; null for other fleets. */
  private final PackedLoad packed;

  private int desired;
  private int inService;

  /**
   * EC2 bills a Linux instance per second from each start, a minute at least: a launch cancelled
   * before it has run a minute is billed the minute.
   */
  static final Duration MINIMUM_BILLED = Duration.ofSeconds(60);

  /** A unit launched (or resumed from the pool) and when it comes into service. */
  private record Launch(Instant at, Instant ready, boolean fromPool) {}

  /** Each launched unit, soonest into service first (a warm boot can pass a cold one). */
  private final List<Launch> pending = new ArrayList<>();

  /**
   * What cancelled launches still owe of their first minute, in instance-hours at the running
   * price, billed with the next step.
   */
  private double owedHours;

  /** The instance-hours billed at the running price over the last {@link #costUsd} interval. */
  private double lastRunningHours;

  /** Replicas waiting for room on a node while the cluster is at its ceiling. */
  private int unplaced;

  /**
   * A relay taken out of service: until when it may drain, and the viewers still on it (those it
   * held when taken out, less those who left since; nobody new joins it), of whom {@code
   * reconnecting} follow its reconnect event and are still looking for a relay that admits them.
   */
  private static final class Drain {
    final Instant until;
    double viewers;
    double reconnecting;

    Drain(Instant until, double viewers, double reconnecting) {
      this.until = until;
      this.viewers = viewers;
      this.reconnecting = reconnecting;
    }
  }

  private final Deque<Drain> draining = new ArrayDeque<>();

  /** Viewers on instances that went since the last {@link #takeCut()}: their sessions are cut. */
  private double cut;

  /** When units came into service, the last {@link #ARRIVALS_KEPT} of them. */
  private final Deque<Instant> arrived = new ArrayDeque<>();

  static final Duration ARRIVALS_KEPT = Duration.ofMinutes(1);

  private int warm;
  private final Deque<Instant> refilling = new ArrayDeque<>();
  private int poolSize;
  private int available = Integer.MAX_VALUE;
  private Instant now = Instant.MIN;
  private Instant shortUntil = Instant.MIN;
  private long changes;

  /**
   * @param drainTimeout how long an instance taken out keeps its viewers; zero: it goes at once
   * @param reconnecting the share of a drained relay's viewers whose players follow its reconnect
   *     event
   * @param cluster the nodes a deployment's replicas run on; null for an Auto Scaling group
   */
  SimFleet(FleetSpec spec, Duration drainTimeout, double reconnecting, SimCluster cluster) {
    this.spec = spec;
    this.drainTimeout = drainTimeout;
    this.reconnecting = reconnecting;
    this.cluster = cluster;
    this.packed = spec.id().kind() == FleetKind.RELAY ? new PackedLoad(spec.unitCapacity()) : null;
    this.poolSize = spec.warmPoolSize();
    this.warm = poolSize;
  }

  /** Starts converged: {@code units} in service, a full pool. */
  void startWith(int units) {
    desired = spec.clamp(units);
    inService = desired;
    if (packed != null) {
      packed.reset(inService);
    }
    pending.clear();
    unplaced = 0;
  }

  /**
   * A relay taken out of service is the emptiest (the packing edge leaves the relays beyond what
   * the viewers need empty), and keeps its viewers while it drains.
   */
  void setCapacity(int target, int pool, Instant now) {
    target = spec.clamp(target);
    poolSize = Math.max(0, pool);
    if (target != desired) {
      changes++;
    }
    desired = target;
    launchMissing(now);
    int launching = desired - inService - pending.size() - unplaced;
    for (; launching < 0; launching++) {
      if (unplaced > 0) {
        unplaced--;
      } else if (!pending.isEmpty()) {
        Launch cancelled = pending.remove(pending.size() - 1);
        if (cluster == null) {
          owedHours += minuteOwed(cancelled, now);
          if (cancelled.fromPool()) {
            leave(); // resumed from the pool and stopped again (reuse on scale-in)
          }
        }
        released();
      } else if (inService > 0) {
        inService--;
        released();
        double on = packed != null ? packed.removeEmptiest() : 0;
        if (drainTimeout.isZero()) {
          cut += on;
          leave();
        } else if (on < 1) {
          leave(); // nobody to drain: the agent completes the lifecycle hook at once
        } else {
          draining.addLast(new Drain(now.plus(drainTimeout), on, on * reconnecting));
        }
      }
    }
  }

  /**
   * Starts instances towards the desired capacity, from the warm pool first, as far as EC2 has the
   * type (a launch EC2 refuses fails, and the group tries again later).
   */
  private void launchMissing(Instant now) {
    if (cluster != null) {
      placeReplicas(now);
      return;
    }
    this.now = now;
    while (inService + pending.size() < desired && inService + pending.size() < available) {
      if (warm > 0) {
        warm--;
        launch(now, now.plus(spec.warmBoot()), true);
      } else {
        launch(now, now.plus(spec.coldBoot()), false);
      }
    }
    if (inService + pending.size() < desired) {
      shortUntil = now.plus(FleetState.SHORTAGE_MEMORY); // EC2 refused the rest
    }
  }

  /** Replicas towards the desired count, each starting once its node is there. */
  private void placeReplicas(Instant now) {
    unplaced = 0;
    while (inService + pending.size() < desired) {
      Instant node = cluster.place(now);
      if (node == null) {
        unplaced = desired - inService - pending.size();
        return;
      }
      launch(now, node.plus(spec.warmBoot()), false);
    }
  }

  private void launch(Instant now, Instant ready, boolean fromPool) {
    int at = 0;
    while (at < pending.size() && !pending.get(at).ready().isAfter(ready)) {
      at++;
    }
    pending.add(at, new Launch(now, ready, fromPool));
  }

  /** The rest of its first minute, for a launch cancelled {@code now}. */
  private double minuteOwed(Launch l, Instant now) {
    Duration ran = Duration.between(l.at(), now);
    if (ran.compareTo(MINIMUM_BILLED) >= 0) {
      return 0;
    }
    return MINIMUM_BILLED.minus(ran).toMillis() / 3_600_000.0;
  }

  /** A replica's slot on its node is free again. */
  private void released() {
    if (cluster != null) {
      cluster.release();
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
   * Sessions end on the draining instances as they end on the region's others: {@code retained} of
   * their viewers are still watching. One whose last viewer left goes (the agent completes the
   * lifecycle hook as soon as it is empty).
   */
  void turnOver(double retained) {
    eachDrain(
        d -> {
          d.viewers *= retained;
          d.reconnecting *= retained;
        });
  }

  /** Viewers on the draining relays whose players look for another relay. */
  double reconnectingViewers() {
    double sum = 0;
    for (Drain d : draining) {
      sum += d.reconnecting;
    }
    return sum;
  }

  /**
   * {@code viewers} of those looking for another relay found one: they leave the draining relays,
   * each drain giving up its share of them. One whose last viewer left goes.
   */
  void reconnected(double viewers) {
    double looking = reconnectingViewers();
    if (viewers <= 0 || looking <= 0) {
      return;
    }
    double gone = Math.min(1, viewers / looking);
    eachDrain(
        d -> {
          d.viewers -= d.reconnecting * gone;
          d.reconnecting -= d.reconnecting * gone;
        });
  }

  /**
   * Applies {@code change} to every draining relay; one left with no viewer goes (the agent
   * completes the lifecycle hook as soon as it is empty).
   */
  private void eachDrain(java.util.function.Consumer<Drain> change) {
    for (java.util.Iterator<Drain> it = draining.iterator(); it.hasNext(); ) {
      Drain d = it.next();
      change.accept(d);
      if (d.viewers < 1) {
        it.remove();
        leave();
      }
    }
  }

  /**
   * The relays in service hold {@code viewers} after a step in which {@code retained} of their
   * sessions went on: the joins packed as the edge packs them, to {@code packTo} viewers a relay.
   */
  void settle(double viewers, double retained, double packTo) {
    packed.settle(viewers, retained, packTo);
  }

  /**
   * The viewers on each relay holding any (in service and draining), squared and summed: over the
   * viewers and a relay's capacity, the utilization of the relay the average viewer is on.
   */
  double viewerSquares() {
    double sum = packed.squares();
    for (Drain d : draining) {
      sum += d.viewers * d.viewers;
    }
    return sum;
  }

  /** The utilization of the relays taking joins ({@link PackedLoad#joinUtilization}). */
  double joinUtilization(double packTo) {
    return packed.joinUtilization(packTo);
  }

  /** Viewers on the instances draining. */
  double drainingViewers() {
    double sum = 0;
    for (Drain d : draining) {
      sum += d.viewers;
    }
    return sum;
  }

  /** The viewers whose instance went (a drain's timeout, or no drain) since the last call. */
  double takeCut() {
    double out = cut;
    cut = 0;
    return out;
  }

  /** Instances holding viewers: in service, and draining. */
  int holding() {
    return inService + draining.size();
  }

  void advance(Instant now) {
    while (!pending.isEmpty() && !pending.get(0).ready().isAfter(now)) {
      arrived.addLast(pending.remove(0).ready());
      inService++;
      if (packed != null) {
        packed.added();
      }
    }
    while (!arrived.isEmpty() && arrived.peekFirst().isBefore(now.minus(ARRIVALS_KEPT))) {
      arrived.removeFirst();
    }
    // The drain timeout: whoever is still on the instance is dropped (the caller sees the capacity
    // go).
    while (!draining.isEmpty() && !draining.peekFirst().until.isAfter(now)) {
      cut += draining.removeFirst().viewers;
      leave();
    }
    while (!refilling.isEmpty() && !refilling.peekFirst().isAfter(now)) {
      refilling.removeFirst();
      warm++;
    }
    launchMissing(now);
    // The group launches, initialises and stops new instances until the pool is full again; those
    // draining towards it count as its members. A refill is a launch: in a shortage EC2 refuses it
    // as it refuses the rest.
    while (warm + refilling.size() + draining.size() < poolSize
        && inService + pending.size() + refilling.size() < available) {
      refilling.addLast(now.plus(spec.coldBoot()));
    }
    while (warm > poolSize) {
      warm--;
    }
  }

  double costUsd(Duration dt) {
    double hours = dt.toMillis() / 3_600_000.0;
    // Instances refilling the pool run while they initialise; draining ones run until they go.
    lastRunningHours =
        owedHours + hours * (inService + pending.size() + draining.size() + refilling.size());
    owedHours = 0;
    return lastRunningHours * spec.hourlyPriceUsd() + hours * warm * spec.warmHourlyPriceUsd();
  }

  /**
   * The instance-hours billed at the running price over the interval the last {@link #costUsd}
   * priced: in service, booting, draining and refilling the pool, and the rest of the first minute
   * of launches cancelled before it.
   */
  double lastRunningHours() {
    return lastRunningHours;
  }

  int inService() {
    return inService;
  }

  /** Units that came into service after {@code since} (within {@link #ARRIVALS_KEPT}). */
  int arrivedAfter(Instant since) {
    int n = 0;
    for (Instant at : arrived) {
      n += at.isAfter(since) ? 1 : 0;
    }
    return n;
  }

  /** Relays in service with at least one viewer on them (none for a group that is no relay's). */
  int inServiceHoldingViewers() {
    return packed == null ? 0 : packed.holdingViewers();
  }

  long changes() {
    return changes;
  }

  FleetState state() {
    if (cluster != null) {
      return new FleetState(
          spec.id(), desired, inService, pending.size() + unplaced, cluster.free(), 0, false);
    }
    // EC2 refused a launch lately: the shortage the group's scaling activities show, remembered as
    // the actuator remembers it.
    return new FleetState(
        spec.id(), desired, inService, pending.size(), warm, poolSize, now.isBefore(shortUntil));
  }
}
