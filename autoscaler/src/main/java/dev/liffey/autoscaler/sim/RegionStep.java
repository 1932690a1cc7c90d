package dev.liffey.autoscaler.sim;

/**
 * One region during one simulated step: the viewers routed to it and the relay capacity in service.
 *
 * @param elapsedSeconds seconds since the trace's start, at the step's beginning
 */
public record RegionStep(double elapsedSeconds, String region, double viewers, double capacity) {}
