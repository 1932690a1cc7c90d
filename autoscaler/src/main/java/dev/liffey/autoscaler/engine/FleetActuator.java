package dev.liffey.autoscaler.engine;

import java.util.List;
import java.util.Optional;

/**
 * EC2 Auto Scaling groups (relays, GPU transcoders). Idempotent: setting what is already set
 * changes nothing and costs no call.
 */
public interface FleetActuator {
  List<FleetState> fleets();

  /**
   * @return what the audit should say beyond the count, when the actuator chose something itself
   *     (which relays a scale-in removed)
   */
  Optional<String> setCapacity(FleetId fleet, int desired, int warmPoolSize);
}
