package dev.liffey.autoscaler.k8s;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import java.util.List;

/**
 * No Kubernetes API to talk to: the services are not seen, so they are neither planned nor scaled;
 * everything else still works. The daemon says so once, at start-up.
 */
public final class NoKubernetes implements WorkloadActuator {
  @Override
  public List<FleetState> services() {
    return List.of();
  }

  @Override
  public void setReplicas(FleetId service, int replicas) {
    throw new IllegalStateException("no Kubernetes API: cannot scale " + service);
  }
}
