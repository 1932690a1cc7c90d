package dev.liffey.cdk.transcode;

import dev.liffey.cdk.LiffeyStackProps;
import dev.liffey.core.config.Region;
import software.amazon.awscdk.services.ec2.IVpc;

/** A region's GPU transcoders: the region (its GPU groups, in preference order) and the VPC. */
public record TranscodeStackProps(LiffeyStackProps stack, Region region, IVpc vpc) {}
