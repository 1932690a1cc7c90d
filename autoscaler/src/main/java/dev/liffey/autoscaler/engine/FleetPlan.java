package dev.liffey.autoscaler.engine;

/**
 * What a decision does to one fleet, and why, in words.
 *
 * @param current desired capacity before
 * @param target desired capacity after
 * @param warmPool warm pool size to keep (0 for services)
 */
public record FleetPlan(FleetId fleet, int current, int target, int warmPool, String reason) {
  public boolean changes() {
    return current != target;
  }

  public static FleetPlan hold(FleetState state, int warmPool, String reason) {
    return new FleetPlan(state.id(), state.desired(), state.desired(), warmPool, reason);
  }
}
