package dev.liffey.autoscaler.engine;

/**
 * A fleet as it is now, in units (instances or replicas).
 *
 * @param desired what the group was last asked for
 * @param inService serving now
 * @param pending launched, not yet serving
 * @param warm stopped in the warm pool, ready to resume now
 * @param warmPoolSize the pool's configured size (the pool refills towards it); 0 for services
 */
public record FleetState(FleetId id, int desired, int inService, int pending, int warm, int warmPoolSize) {}
