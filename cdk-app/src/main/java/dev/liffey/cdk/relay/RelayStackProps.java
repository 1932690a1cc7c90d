package dev.liffey.cdk.relay;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.cdk.fleet.ControlTableRef;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.Routing;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.services.ec2.IVpc;

/**
 * A region's relays: the region (its relay fleet), the VPC to run in, the DNS names to publish
 * (routing), the markets it serves (a latency alarm each, and the relays admit their viewers), the
 * latency SLO those alarms hold, the autoscaler's target utilization (the relays fill each other to
 * it, or until their viewers' p95 reaches the SLO's calm band), the edge agent's jar the relays run
 * (an existing file: {@link EdgeAgentJar#require}), and the control table, where the agent follows
 * the region's transcoders and the relays announce how full they are.
 */
public record RelayStackProps(
    LiffeyStackProps stack,
    Region region,
    IVpc vpc,
    Routing routing,
    List<Market> marketsServed,
    int latencySloMillis,
    double targetUtilization,
    Path edgeAgentJar,
    ControlTableRef controlTable) {}
