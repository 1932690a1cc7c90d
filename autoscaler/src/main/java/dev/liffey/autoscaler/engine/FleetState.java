package dev.liffey.autoscaler.engine;

import java.time.Duration;

/**
 * A fleet as it is now, in units (instances or replicas).
 *
 * @param desired what the group was last asked for
 * @param inService serving now
 * @param pending launched, not yet serving
 * @param warm stopped in the warm pool, ready to resume now; for a service, the replicas its
 *     cluster's nodes have room for now where the source knows it (the simulator), else 0
 * @param warmPoolSize the pool's configured size (the pool refills towards it); 0 for services
 * @param capacityShortage EC2 could not launch this instance type here within the last {@link
 *     #SHORTAGE_MEMORY} ({@code InsufficientInstanceCapacity}); plans send more demand to the next
 *     type instead
 */
public record FleetState(
    FleetId id,
    int desired,
    int inService,
    int pending,
    int warm,
    int warmPoolSize,
    boolean capacityShortage) {

  /**
   * How long a refused launch marks its type short, as Karpenter caches an insufficient-capacity
   * error per type and zone: long enough not to retry into the same wall every tick (the next type
   * keeps the demand once the plan stops asking for the short one), short enough to come back as
   * soon as EC2 has capacity again.
   */
  public static final Duration SHORTAGE_MEMORY = Duration.ofMinutes(3);

  public FleetState(
      FleetId id, int desired, int inService, int pending, int warm, int warmPoolSize) {
    this(id, desired, inService, pending, warm, warmPoolSize, false);
  }
}
