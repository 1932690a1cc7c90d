package dev.liffey.cdk.network;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.core.config.Region;

/** A region's network: where, and the region's address block, zones and NAT gateways. */
public record NetworkStackProps(LiffeyStackProps stack, Region region) {}
