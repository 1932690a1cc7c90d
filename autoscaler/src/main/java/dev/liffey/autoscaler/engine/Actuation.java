package dev.liffey.autoscaler.engine;

/**
 * One change to one fleet as the control loop makes it: desired capacity and warm pool, before and
 * after. A warm-pool-only change is an actuation too, audited like any other.
 */
public record Actuation(
    FleetId fleet, int fromDesired, int toDesired, int fromWarmPool, int toWarmPool) {
  public boolean changesDesired() {
    return fromDesired != toDesired;
  }

  public boolean changesWarmPool() {
    return fromWarmPool != toWarmPool;
  }

  /**
   * {@code relay eu-west-1=6} or, when the warm pool moves, {@code relay eu-west-1=6 (warm pool
   * 2)}.
   */
  public String describe(boolean before) {
    int desired = before ? fromDesired : toDesired;
    int pool = before ? fromWarmPool : toWarmPool;
    return fleet + "=" + desired + (changesWarmPool() ? " (warm pool " + pool + ")" : "");
  }

  /** Why a change that moves only the warm pool is made ({@code warm pool relay eu-west-1 2→4}). */
  public String poolReason() {
    return "warm pool " + fleet + " " + fromWarmPool + "→" + toWarmPool;
  }
}
