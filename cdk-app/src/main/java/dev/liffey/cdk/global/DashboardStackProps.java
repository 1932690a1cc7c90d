package dev.liffey.cdk.global;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import java.util.List;

/**
 * The dashboard: the stack prefix (the groups' names start with it), the regions, markets and SLO.
 */
public record DashboardStackProps(
    LiffeyStackProps stack,
    String stackPrefix,
    List<Region> regions,
    List<Market> markets,
    int latencySloMillis) {}
