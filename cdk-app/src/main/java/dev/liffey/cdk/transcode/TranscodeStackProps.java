package dev.liffey.cdk.transcode;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.cdk.fleet.ControlTableRef;
import dev.liffey.core.config.Region;
import java.nio.file.Path;
import software.amazon.awscdk.services.ec2.IVpc;

/**
 * A region's GPU transcoders: the region (its GPU groups, in preference order), the VPC, the edge
 * agent's jar they run (its {@code transcoder} command; an existing file), and the control table,
 * where they announce themselves and read the region's ladder plan.
 */
public record TranscodeStackProps(
    LiffeyStackProps stack,
    Region region,
    IVpc vpc,
    Path edgeAgentJar,
    ControlTableRef controlTable) {}
