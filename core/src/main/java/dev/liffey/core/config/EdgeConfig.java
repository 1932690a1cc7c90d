package dev.liffey.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole of {@code edge-regions.yaml}, validated. Immutable and thread-safe. Only {@link
 * EdgeConfigLoader} makes one, and only from a document that passed every check, so code downstream
 * never sees an invalid configuration.
 *
 * @param version the schema version (1)
 * @param stackPrefix prefix of every CloudFormation stack name, like {@code Liffey}
 * @param account the AWS account to deploy to, when pinned in the file
 * @param primaryRegion where global resources (routing, control table, dashboard) live
 * @param tags tags put on every resource, besides Liffey's own
 * @param media what reaches a viewer: the bitrate egress is billed on, the network's jitter
 */
public record EdgeConfig(
    int version,
    String stackPrefix,
    Optional<String> account,
    String primaryRegion,
    Map<String, String> tags,
    List<Region> regions,
    List<Market> markets,
    Routing routing,
    Scaling scaling,
    Media media,
    Control control,
    Autoscaler autoscaler,
    List<KnownEvent> events) {

  public Region region(String id) {
    return regions.stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no region " + id + " in the configuration"));
  }

  /**
   * This configuration with every region's relays expecting {@code share} of their viewers' players
   * to follow a reconnect event ({@link RelayFleet#reconnectingPlayers}).
   */
  public EdgeConfig withReconnectingPlayers(double share) {
    List<Region> relaid =
        regions.stream()
            .map(
                r ->
                    new Region(
                        r.id(),
                        r.city(),
                        r.availabilityZones(),
                        r.vpcCidr(),
                        r.natGateways(),
                        r.egressUsdPerGb(),
                        new RelayFleet(
                            r.relay().sizing(),
                            r.relay().viewersPerInstance(),
                            r.relay().drainTimeout(),
                            share),
                        r.transcode(),
                        r.eks()))
            .toList();
    return new EdgeConfig(
        version,
        stackPrefix,
        account,
        primaryRegion,
        tags,
        relaid,
        markets,
        routing,
        scaling,
        media,
        control,
        autoscaler,
        events);
  }

  public Optional<Market> market(String code) {
    return markets.stream().filter(m -> m.code().equals(code)).findFirst();
  }

  /**
   * The EKS cluster of a region, as the CDK app names it (and {@code aws eks update-kubeconfig
   * --name} wants it).
   */
  public String clusterName(String regionId) {
    return stackPrefix + "-" + regionId;
  }

  public List<String> regionIds() {
    return regions.stream().map(Region::id).toList();
  }
}
