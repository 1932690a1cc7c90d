package dev.liffey.autoscaler.engine;

import java.util.Map;

/** The weighted DNS records of the routed market, by region id (0-255). */
public interface RoutingActuator {
  Map<String, Integer> weights();

  void setWeights(Map<String, Integer> weights);
}
