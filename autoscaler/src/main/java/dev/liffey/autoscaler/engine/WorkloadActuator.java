package dev.liffey.autoscaler.engine;

import java.util.List;

/** Kubernetes services (chat, wallet, game): replicas, or an HPA's floor where one owns them. */
public interface WorkloadActuator {
  List<FleetState> services();

  void setReplicas(FleetId service, int replicas);
}
