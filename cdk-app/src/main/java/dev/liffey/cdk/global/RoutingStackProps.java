package dev.liffey.cdk.global;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Routing;
import java.util.List;

/**
 * The Irish routing records: the routing section, the markets (a geolocation record each), the
 * default region.
 */
public record RoutingStackProps(
    LiffeyStackProps stack, Routing routing, List<Market> markets, String defaultRegion) {}
