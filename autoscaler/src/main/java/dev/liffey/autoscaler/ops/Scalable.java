package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.FleetActuator;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import java.util.List;
import java.util.Optional;

/**
 * One fleet's capacity as on-call sets it: an Auto Scaling group's desired capacity, or a service's
 * replicas.
 */
public interface Scalable {
  /**
   * The fleet now; an exception that names what is missing or unreadable when it cannot be read.
   */
  FleetState read(FleetId fleet);

  /**
   * Sets {@code now}'s fleet to {@code desired} (its warm pool as it is).
   *
   * @return what was chosen on the way, for on-call to read (which relays a scale-in removed)
   */
  Optional<String> set(FleetState now, int desired);

  /** Through the engine's ports: the groups of {@code groups}, the services of {@code services}. */
  static Scalable of(FleetActuator groups, WorkloadActuator services) {
    return new Scalable() {
      @Override
      public FleetState read(FleetId fleet) {
        List<FleetState> all =
            fleet.kind() == FleetKind.SERVICE
                ? services.services()
                : PartialRead.orPartial(groups::fleets);
        return all.stream()
            .filter(f -> f.id().equals(fleet))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no "
                            + fleet
                            + " found (deploy its stack, or check that its region can be read)"));
      }

      @Override
      public Optional<String> set(FleetState now, int desired) {
        if (now.id().kind() == FleetKind.SERVICE) {
          services.setReplicas(now.id(), desired);
          return Optional.empty();
        }
        return groups.setCapacity(now.id(), desired, now.warmPoolSize());
      }
    };
  }
}
