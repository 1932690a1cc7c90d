package dev.liffey.edge.packing;

import dev.liffey.edge.whep.JoinRouter;
import dev.liffey.edge.whep.ViewerIds;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Fill-first admission. A join goes to the fullest relay of the region still below the pack target
 * (the viewers a relay holds at the autoscaler's target utilization); when every relay is at the
 * target it stays where the load balancer brought it, so a full region spreads as before. Relays
 * beyond what the viewers need stay empty, and a scale-in takes relays with nobody on them instead
 * of draining partly full ones for as long as their viewers watch.
 *
 * <p>The others' counts are the registry's, as fresh as their last announcement; the joins this
 * relay passed that the announcement cannot have counted yet (in flight, or taken after it was
 * written) are added to them, so a burst of joins does not all land on one relay before it
 * announces again. Ties go to the lowest id, which every relay agrees on. A draining relay passes
 * every join to the fullest relay below the target, or else the emptiest that serves. A relay that
 * did not take a join passed to it gets nothing more until it announces again.
 *
 * <p>A relay whose viewers' round-trip p95, as it last announced it, is at or above the latency
 * bound counts as full however few viewers it holds: packing fills relays to the pack target or to
 * the latency the router still counts as calm, whichever comes first. So packing does not make a
 * relay's viewers slow. While every relay is past the bound, the latency tells none apart (the
 * region's network is slow, not one relay's queue) and the count alone packs. Thread-safe.
 */
public final class Packing implements JoinRouter {
  /** A pass not yet answered: a time no clock reads. */
  private static final Instant IN_FLIGHT = Instant.MIN;

  private final String self;
  private final int packTo;
  private final double packBelowMillis;
  private final IntSupplier ownViewers;
  private final BooleanSupplier draining;
  private final Clock clock;
  private List<RelayEntry> known = List.of();

  /** Per relay, the joins passed to it: when each was taken, or {@link #IN_FLIGHT}. */
  private final Map<String, Deque<Instant>> passed = new HashMap<>();

  private final Map<String, Instant> failed = new HashMap<>();

  /**
   * @param self this relay's id in the registry
   * @param packTo viewers a relay is filled to before the next one takes any
   * @param packBelowMillis the viewers' round-trip p95 at which a relay counts as full, {@link
   *     Double#POSITIVE_INFINITY} for none
   * @param ownViewers viewers offered or watching on this relay now
   * @param draining whether this relay has stopped admitting
   */
  public Packing(
      String self,
      int packTo,
      double packBelowMillis,
      IntSupplier ownViewers,
      BooleanSupplier draining,
      Clock clock) {
    if (packTo < 1) {
      throw new IllegalArgumentException("a pack target of at least 1 viewer, got " + packTo);
    }
    if (!(packBelowMillis > 0)) {
      throw new IllegalArgumentException(
          "a latency bound above 0 ms (or none), got " + packBelowMillis);
    }
    this.self = self;
    this.packTo = packTo;
    this.packBelowMillis = packBelowMillis;
    this.ownViewers = ownViewers;
    this.draining = draining;
    this.clock = clock;
  }

  /** The region's relays as just read from the registry. */
  public synchronized void known(List<RelayEntry> entries) {
    known = List.copyOf(entries);
    for (RelayEntry e : known) {
      // Joins it took before it announced are in its count already.
      Deque<Instant> d = passed.get(e.id());
      if (d != null) {
        d.removeIf(taken -> !taken.equals(IN_FLIGHT) && !taken.isAfter(e.at()));
      }
      Instant f = failed.get(e.id());
      if (f != null && e.at().isAfter(f)) {
        failed.remove(e.id());
      }
    }
    // Relays gone from the registry (terminated) are forgotten, so a long-lived relay holds
    // nothing for them.
    List<String> ids = known.stream().map(RelayEntry::id).toList();
    passed.keySet().retainAll(ids);
    failed.keySet().retainAll(ids);
  }

  /**
   * @param slow its viewers at the latency bound
   */
  private record Candidate(
      String id, Optional<InetSocketAddress> address, int viewers, boolean slow) {}

  /** Whether a relay whose viewers' p95 is {@code latency} is too slow to take more. */
  private boolean slow(OptionalDouble latency) {
    return latency.isPresent() && latency.getAsDouble() >= packBelowMillis;
  }

  @Override
  public synchronized Optional<Peer> passTo() {
    Instant now = clock.instant();
    boolean here = !draining.getAsBoolean();
    List<Candidate> candidates = candidates(here, now);
    Predicate<Candidate> fillable = fillable(candidates);
    Optional<Candidate> fullestBelow =
        candidates.stream()
            .filter(c -> c.viewers() < packTo && fillable.test(c))
            .max(
                Comparator.comparingInt(Candidate::viewers)
                    .thenComparing(Candidate::id, Comparator.reverseOrder()));
    Optional<Candidate> pick =
        fullestBelow.isPresent() || here
            ? fullestBelow
            : candidates.stream()
                .min(Comparator.comparingInt(Candidate::viewers).thenComparing(Candidate::id));
    if (pick.isEmpty() || pick.get().address().isEmpty()) {
      return Optional.empty();
    }
    Candidate c = pick.get();
    passed.computeIfAbsent(c.id(), k -> new ArrayDeque<>()).addLast(IN_FLIGHT);
    return Optional.of(new Peer(c.id(), c.address().get()));
  }

  /**
   * Whether this relay is one the region's joins are packed onto: in service and filled no further
   * than the pack target (at the latency bound it counts as past it, unless every relay is), or,
   * with every relay past the target, any in service, since joins then stay where they arrive. Its
   * viewers' round trips are then what a viewer joining the region gets.
   */
  @Override
  public synchronized boolean takesJoins() {
    if (draining.getAsBoolean()) {
      return false;
    }
    List<Candidate> candidates = candidates(true, clock.instant());
    Predicate<Candidate> fillable = fillable(candidates);
    List<Candidate> within =
        candidates.stream().filter(c -> c.viewers() <= packTo && fillable.test(c)).toList();
    return within.isEmpty() || within.stream().anyMatch(c -> c.address().isEmpty());
  }

  /**
   * Which candidates packing may fill: those whose viewers are not at the latency bound, unless
   * every one is (then the region's network is slow, not one relay's queue).
   */
  private static Predicate<Candidate> fillable(List<Candidate> candidates) {
    boolean everySlow = candidates.stream().allMatch(Candidate::slow);
    return c -> everySlow || !c.slow();
  }

  /** This relay first (when {@code here}), then every other that may be passed a join. */
  private List<Candidate> candidates(boolean here, Instant now) {
    List<Candidate> candidates = new ArrayList<>();
    if (here) {
      int viewers = ownViewers.getAsInt();
      // Its own latency as it last announced it: measured once a period, as the others'.
      OptionalDouble latency =
          known.stream()
              .filter(e -> e.id().equals(self))
              .findFirst()
              .map(RelayEntry::latencyP95Millis)
              .orElse(OptionalDouble.empty());
      candidates.add(new Candidate(self, Optional.empty(), viewers, slow(latency)));
    }
    for (RelayEntry e : known) {
      if (e.id().equals(self)
          || !e.serving(now)
          || failed.containsKey(e.id())
          || e.address().isUnresolved()
          || !ViewerIds.passable(e.address().getAddress())) {
        continue;
      }
      Deque<Instant> since = passed.get(e.id());
      int passedSince = since == null ? 0 : since.size();
      int viewers = e.viewers() + passedSince;
      candidates.add(
          new Candidate(e.id(), Optional.of(e.address()), viewers, slow(e.latencyP95Millis())));
    }
    return candidates;
  }

  @Override
  public synchronized void answered(Peer peer, int status) {
    Instant now = clock.instant();
    Deque<Instant> d = passed.get(peer.id());
    if (d != null && d.remove(IN_FLIGHT) && status / 100 == 2) {
      d.addLast(now);
    }
    if (status == 0 || status >= 500) {
      failed.put(peer.id(), now);
    }
  }
}
