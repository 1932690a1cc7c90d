package dev.liffey.autoscaler.engine;

import java.util.List;

/**
 * EC2 Auto Scaling groups (relays, GPU transcoders). Idempotent: setting what is already set
 * changes nothing and costs no call.
 */
public interface FleetActuator {
  List<FleetState> fleets();

  void setCapacity(FleetId fleet, int desired, int warmPoolSize);
}
