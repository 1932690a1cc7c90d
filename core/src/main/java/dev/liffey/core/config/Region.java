package dev.liffey.core.config;

import java.util.List;

/**
 * One AWS region of the edge and everything Liffey runs in it.
 *
 * @param id the AWS region id, like {@code eu-west-1}
 * @param city where it is, for people ("Dublin")
 * @param availabilityZones the zones the VPC spans (three)
 * @param vpcCidr the VPC's IPv4 block; regions' blocks never overlap
 * @param natGateways NAT gateways (one per zone survives a zone loss)
 * @param egressUsdPerGb what AWS charges per GB (10^9 bytes) served from the region to the internet
 * @param relay the WebRTC media relay fleet
 * @param transcode GPU transcode pools, in order of preference
 * @param eks the cluster for the chat, wallet and game services
 */
public record Region(
    String id,
    String city,
    List<String> availabilityZones,
    String vpcCidr,
    int natGateways,
    double egressUsdPerGb,
    RelayFleet relay,
    List<TranscodePool> transcode,
    EksCluster eks) {}
