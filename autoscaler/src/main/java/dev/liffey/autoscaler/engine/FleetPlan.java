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

  /**
   * Keeps {@code fleet} at {@code current}: "hold relay eu-west-1 at 12: {@code why}".
   *
   * @param name the fleet as reasons name it ({@link FleetId#toString()}, made once by the caller)
   */
  public static FleetPlan hold(FleetId fleet, String name, int current, int warmPool, String why) {
    return new FleetPlan(
        fleet, current, current, warmPool, "hold " + name + " at " + current + ": " + why);
  }

  /**
   * Takes {@code fleet} from {@code current} to {@code target}: "scale out relay eu-west-1 12→19:
   * {@code why}" (or "scale in"), or a {@link #hold} when they are equal.
   */
  public static FleetPlan resize(
      FleetId fleet, String name, int current, int target, int warmPool, String why) {
    if (target == current) {
      return hold(fleet, name, current, warmPool, why);
    }
    return new FleetPlan(
        fleet,
        current,
        target,
        warmPool,
        (target > current ? "scale out " : "scale in ")
            + name
            + " "
            + current
            + "→"
            + target
            + ": "
            + why);
  }
}
