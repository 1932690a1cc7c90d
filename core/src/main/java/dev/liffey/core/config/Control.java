package dev.liffey.core.config;

/**
 * The control table (overrides, freezes, route pins, audit log).
 *
 * @param tableName the DynamoDB table
 * @param replicaRegion the second region of the global table (the primary pair)
 */
public record Control(String tableName, String replicaRegion) {}
