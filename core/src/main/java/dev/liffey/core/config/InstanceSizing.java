package dev.liffey.core.config;

import java.time.Duration;

/**
 * What one EC2 Auto Scaling group of a fleet may do and costs, shared by relays and transcoders.
 *
 * @param instanceType the EC2 instance type
 * @param minInstances the group's floor
 * @param maxInstances the group's ceiling
 * @param warmPoolSize stopped, pre-initialised instances kept ready
 * @param coldBoot launch to in service, from nothing
 * @param warmBoot warm pool to in service
 * @param hourlyPriceUsd on-demand list price of one running instance
 * @param warmHourlyPriceUsd what one stopped warm-pool instance costs (its EBS volumes)
 */
public record InstanceSizing(
    String instanceType,
    int minInstances,
    int maxInstances,
    int warmPoolSize,
    Duration coldBoot,
    Duration warmBoot,
    double hourlyPriceUsd,
    double warmHourlyPriceUsd) {}
