package dev.liffey.core.config;

import java.time.Duration;

/**
 * The control table (overrides, freezes, route pins, audit log).
 *
 * @param tableName the DynamoDB table
 * @param replicaRegion the second region of the global table (the primary pair)
 * @param lastKnownState how long the autoscaler acts on the last state it read (scale-out only)
 *     when neither region's table can be read; beyond it, it acts on nothing
 */
public record Control(String tableName, String replicaRegion, Duration lastKnownState) {
  /**
   * Long enough to ride out a regional DynamoDB incident, short enough that on-call's newer freezes
   * and overrides are not ignored for long.
   */
  public static final Duration LAST_KNOWN_STATE = Duration.ofMinutes(15);
}
