package dev.liffey.autoscaler.engine.policy;

import java.time.Instant;
import java.util.Map;

/**
 * Where viewers are, known in advance, when the routed market's joins are steered by a schedule
 * rather than the configured weights: the weights resolvers act on at each moment, and each
 * region's viewers then, sessions staying where they joined until they end.
 */
public interface RoutedDemand {
  /** The routed market's weights in force at {@code at} (set a DNS delay before it). */
  Map<String, Integer> weightsInForce(Instant at);

  /** The viewers of every market connected to {@code region} at {@code at}. */
  double viewers(String region, Instant at);
}
