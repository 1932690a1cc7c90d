package dev.liffey.cli;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.InstanceSizing;
import dev.liffey.core.config.Region;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --region R --fleet F} naming one EC2 Auto Scaling group: {@code relay}, {@code transcode}
 * (the preferred GPU type) or a GPU instance type; checked against the configuration (exit 2 with
 * the choices).
 *
 * @param id the group's fleet
 * @param selector what the control table records for it: {@code relay} or the GPU instance type
 */
record GroupChoice(FleetId id, String selector, InstanceSizing sizing) {

  static GroupChoice of(EdgeConfig edge, String region, String fleet) {
    Scope.region(edge, region);
    Region r = edge.region(region);
    if (fleet.equals("relay")) {
      return new GroupChoice(FleetId.relay(region), "relay", r.relay().sizing());
    }
    List<String> choices = new ArrayList<>(List.of("relay", "transcode"));
    for (var pool : r.transcode()) {
      InstanceSizing s = pool.sizing();
      choices.add(s.instanceType());
      if (fleet.equals("transcode") || fleet.equals(s.instanceType())) {
        return new GroupChoice(FleetId.transcode(region, s.instanceType()), s.instanceType(), s);
      }
    }
    throw new UsageProblem("--fleet '" + fleet + "' is not an Auto Scaling group in " + region + ": use one of "
        + String.join(", ", choices));
  }

  /** Rejects a capacity outside the group's configured bounds. */
  void check(int capacity) {
    if (capacity < sizing.minInstances() || capacity > sizing.maxInstances()) {
      throw new UsageProblem("--capacity " + capacity + " is outside " + sizing.minInstances() + ".."
          + sizing.maxInstances() + " for " + id + " (change minInstances/maxInstances in edge-regions.yaml and"
          + " deploy to go beyond)");
    }
  }

  /** The group as it is now, or exit 1 naming the stack to deploy. */
  FleetState read(AutoScalingFleetActuator groups) {
    return groups.fleets().stream().filter(f -> f.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no Auto Scaling group tagged for " + id + " (deploy the "
            + (id.kind() == FleetKind.RELAY ? "relay" : "transcode") + " stack)"));
  }
}
