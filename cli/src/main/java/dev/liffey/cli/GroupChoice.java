package dev.liffey.cli;

import dev.liffey.autoscaler.engine.FleetActuator;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.ops.Scalable;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.ServiceFleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code --region R --fleet F} naming one fleet: {@code relay}, {@code transcode} (the preferred
 * GPU type) or a GPU instance type (each an EC2 Auto Scaling group), or, where services are
 * allowed, an EKS service; checked against the configuration (exit 2 with the choices).
 *
 * @param id the fleet
 * @param selector what the control table records for it: {@code relay}, the GPU instance type or
 *     the service
 * @param min the configured floor (instances or replicas)
 * @param max the configured ceiling
 */
record GroupChoice(FleetId id, String selector, int min, int max) {

  static GroupChoice of(EdgeConfig edge, String region, String fleet) {
    return of(edge, region, fleet, false);
  }

  static GroupChoice of(EdgeConfig edge, String region, String fleet, boolean services) {
    Scope.region(edge, region);
    Region r = edge.region(region);
    if (fleet.equals("relay")) {
      var s = r.relay().sizing();
      return new GroupChoice(FleetId.relay(region), "relay", s.minInstances(), s.maxInstances());
    }
    List<String> choices = new ArrayList<>(List.of("relay", "transcode"));
    for (var pool : r.transcode()) {
      var s = pool.sizing();
      choices.add(s.instanceType());
      if (fleet.equals("transcode") || fleet.equals(s.instanceType())) {
        return new GroupChoice(
            FleetId.transcode(region, s.instanceType()),
            s.instanceType(),
            s.minInstances(),
            s.maxInstances());
      }
    }
    if (services) {
      for (ServiceFleet s : r.eks().services()) {
        choices.add(s.name());
        if (fleet.equals(s.name())) {
          return new GroupChoice(
              FleetId.service(region, s.name()), s.name(), s.minReplicas(), s.maxReplicas());
        }
      }
    }
    throw new UsageProblem(
        "--fleet '"
            + fleet
            + "' is not "
            + (services ? "a fleet" : "an Auto Scaling group")
            + " in "
            + region
            + ": use one of "
            + String.join(", ", choices));
  }

  boolean isService() {
    return id.kind() == FleetKind.SERVICE;
  }

  /** Rejects a capacity outside the fleet's configured bounds. */
  void check(int capacity) {
    if (capacity < min || capacity > max) {
      throw new UsageProblem(
          "--capacity "
              + capacity
              + " is outside "
              + min
              + ".."
              + max
              + " for "
              + id
              + " (change "
              + (isService() ? "minReplicas/maxReplicas" : "minInstances/maxInstances")
              + " in edge-regions.yaml and"
              + " deploy to go beyond)");
    }
  }

  /** A line for on-call when EC2 recently could not launch this group's instance type. */
  static Optional<String> shortage(FleetState state) {
    return state.capacityShortage()
        ? Optional.of(
            "warning: EC2 recently had no "
                + state.id().name()
                + " capacity in "
                + state.id().region()
                + ": the group may stay short (the autoscaler moves demand to the next GPU type)")
        : Optional.empty();
  }

  /**
   * This Auto Scaling group as on-call sets it: read as {@link #read} does (warning on stderr when
   * EC2 is short of its type), set with its warm pool as it is.
   */
  Scalable groups(OnCall onCall, EdgeConfig edge, java.io.PrintWriter err) {
    FleetActuator groups = onCall.aws().groups(edge);
    return new Scalable() {
      @Override
      public FleetState read(FleetId fleet) {
        FleetState state = GroupChoice.this.read(groups, onCall.calls());
        shortage(state).ifPresent(err::println);
        return state;
      }

      @Override
      public java.util.Optional<String> set(FleetState now, int desired) {
        return groups.setCapacity(now.id(), desired, now.warmPoolSize());
      }
    };
  }

  /**
   * The group as it is now. When its region could not be read, why (AWS unreachable: exit 3); when
   * it was read and the group is not there, exit 1 naming the stack to deploy.
   */
  FleetState read(FleetActuator groups, AwsCallLog calls) {
    List<FleetState> fleets =
        PartialRead.orPartial(
            groups::fleets); // leaves out a region it cannot read: the call log says why
    return fleets.stream()
        .filter(f -> f.id().equals(id))
        .findFirst()
        .orElseThrow(
            () -> {
              for (FailedCall f : calls.failed(FailedCall.AUTO_SCALING)) {
                if (f.region().equals(id.region()) && f.error() instanceof RuntimeException e) {
                  return e;
                }
              }
              return new IllegalStateException(
                  "no Auto Scaling group tagged for "
                      + id
                      + " (deploy the "
                      + (id.kind() == FleetKind.RELAY ? "relay" : "transcode")
                      + " stack)");
            });
  }
}
