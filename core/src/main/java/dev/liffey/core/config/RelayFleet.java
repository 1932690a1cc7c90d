package dev.liffey.core.config;

import java.time.Duration;

/**
 * The WebRTC media relays (SFUs) of a region.
 *
 * @param sizing the group's type, bounds, warm pool, boot times and prices
 * @param viewersPerInstance concurrent viewers one relay serves at full utilization
 * @param drainTimeout how long a terminating relay may keep its viewers while they move away
 */
public record RelayFleet(InstanceSizing sizing, int viewersPerInstance, Duration drainTimeout) {}
