package dev.liffey.autoscaler.engine.policy;

/**
 * What one scaling policy of a group asks for now: a capacity (demand units at full utilization:
 * viewers or streams) and why, in words.
 */
record CapacityRequest(double capacity, String why) {}
