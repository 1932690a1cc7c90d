package dev.liffey.autoscaler.engine;

/**
 * A fleet as it is now, in units (instances or replicas).
 *
 * @param desired what the group was last asked for
 * @param inService serving now
 * @param pending launched, not yet serving
 * @param warm stopped in the warm pool, ready to resume now; for a service, the replicas its
 *     cluster's nodes have room for now where the source knows it (the simulator), else 0
 * @param warmPoolSize the pool's configured size (the pool refills towards it); 0 for services
 * @param capacityShortage EC2 recently could not launch this instance type here ({@code
 *     InsufficientInstanceCapacity}); plans send more demand to the next type instead
 */
public record FleetState(
    FleetId id,
    int desired,
    int inService,
    int pending,
    int warm,
    int warmPoolSize,
    boolean capacityShortage) {

  public FleetState(
      FleetId id, int desired, int inService, int pending, int warm, int warmPoolSize) {
    this(id, desired, inService, pending, warm, warmPoolSize, false);
  }
}
