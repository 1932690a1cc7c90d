package dev.liffey.cdk.fleet;

/**
 * The control table as a fleet's agents reach it: relays follow the transcoders' registry there,
 * transcoders announce themselves there and read their region's ladder plan.
 *
 * @param name the control table
 * @param region its primary region
 */
public record ControlTableRef(String name, String region) {}
