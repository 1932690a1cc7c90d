package dev.liffey.autoscaler;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetPlan;

/** A decision's plan for one fleet, as the tests look it up. */
public final class Plans {
  private Plans() {}

  /** {@code d}'s plan for {@code fleet}; fails the test when it has none. */
  public static FleetPlan of(Decision d, FleetId fleet) {
    return d.fleets().stream()
        .filter(p -> p.fleet().equals(fleet))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no plan for " + fleet + " in " + d.fleets()));
  }
}
