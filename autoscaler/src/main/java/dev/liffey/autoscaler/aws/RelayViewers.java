package dev.liffey.autoscaler.aws;

import java.util.Collection;
import java.util.Map;

/**
 * How many viewers each relay holds, as its agent last reported (or, where it has not, as its
 * traffic says): what a scale-in chooses the emptiest relays by.
 */
@FunctionalInterface
public interface RelayViewers {
  /**
   * @return viewers by instance id, for the instances whose count could be read; an instance
   *     missing from the map has no recent count
   * @throws RuntimeException when the counts cannot be read at all (nothing is then scaled in)
   */
  Map<String, Double> viewers(String region, Collection<String> instanceIds);
}
