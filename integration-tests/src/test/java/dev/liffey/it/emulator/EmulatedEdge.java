package dev.liffey.it.emulator;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.aws.EdgeMetrics;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * What the CDK app would have deployed, made in the emulator through the APIs: every region's relay
 * group (tagged as the CDK tags it, with its warm pool), the Irish weighted records and a
 * geolocation record per market in a fresh zone, and a config file naming that zone. Also publishes
 * edge metrics as the relays and probes would.
 */
public final class EmulatedEdge {
  public final EdgeConfig config;
  public final Path configFile;
  private final AwsClients aws;
  private final URI endpoint;

  private EmulatedEdge(EdgeConfig config, Path configFile, AwsClients aws, URI endpoint) {
    this.config = config;
    this.configFile = configFile;
    this.aws = aws;
    this.endpoint = endpoint;
  }

  public static EmulatedEdge deploy(AwsClients aws, URI endpoint, Path dir) throws Exception {
    return deploy(aws, endpoint, dir, yaml -> yaml);
  }

  /**
   * As above, from the repository's edge-regions.yaml as {@code edit} changes it (a faster tick,
   * say).
   */
  public static EmulatedEdge deploy(
      AwsClients aws, URI endpoint, Path dir, java.util.function.UnaryOperator<String> edit)
      throws Exception {
    String yaml = edit.apply(Files.readString(Path.of("..", EdgeConfigLoader.DEFAULT_FILE)));
    EdgeConfig base = new EdgeConfigLoader().parse("edge-regions.yaml", yaml).config();
    String zoneId =
        aws.route53()
            .createHostedZone(
                b -> b.name(base.routing().hostedZone()).callerReference("it-" + System.nanoTime()))
            .hostedZone()
            .id()
            .replace("/hostedzone/", "");
    Path file = dir.resolve("edge-regions.yaml");
    Files.writeString(file, yaml.replace(base.routing().hostedZoneId(), zoneId));
    EdgeConfig config = new EdgeConfigLoader().load(file).config();
    EmulatedEdge edge = new EmulatedEdge(config, file, aws, endpoint);
    for (var region : config.regions()) {
      edge.relayGroup(
          region.id(),
          region.relay().sizing().minInstances(),
          region.relay().sizing().warmPoolSize());
    }
    List<Change> records =
        config.routing().initialWeights().entrySet().stream()
            .map(
                w ->
                    Change.builder()
                        .action(ChangeAction.CREATE)
                        .resourceRecordSet(
                            ResourceRecordSet.builder()
                                .name(config.routing().recordName())
                                .type(RRType.CNAME)
                                .setIdentifier(w.getKey())
                                .weight((long) w.getValue())
                                .ttl(60L)
                                .resourceRecords(
                                    r -> r.value(config.routing().regionalName(w.getKey())))
                                .build())
                        .build())
            .toList();
    aws.route53()
        .changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(records)));
    // The geolocation record per market, as the routing stack makes them: the routed market to the
    // weighted set.
    List<Change> geo =
        config.markets().stream()
            .map(
                m ->
                    Change.builder()
                        .action(ChangeAction.CREATE)
                        .resourceRecordSet(
                            ResourceRecordSet.builder()
                                .name(config.routing().entryName())
                                .type(RRType.CNAME)
                                .setIdentifier("geo-" + m.code())
                                .geoLocation(g -> g.countryCode(m.code()))
                                .ttl(60L)
                                .resourceRecords(
                                    r ->
                                        r.value(
                                            m.code().equals(config.routing().market())
                                                ? config.routing().recordName()
                                                : config
                                                    .routing()
                                                    .regionalName(m.servedBy().get(0).regionId())))
                                .build())
                        .build())
            .toList();
    aws.route53()
        .changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(geo)));
    return edge;
  }

  /** The relay group's instances in service. */
  public List<String> relayInstances(String region) {
    return aws
        .autoScaling(region)
        .describeAutoScalingGroups(b -> b.autoScalingGroupNames(relayGroupName(region)))
        .autoScalingGroups()
        .stream()
        .flatMap(g -> g.instances().stream())
        .filter(i -> "InService".equals(i.lifecycleStateAsString()))
        .map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId)
        .toList();
  }

  public static String relayGroupName(String region) {
    return "Liffey-" + region + "-Relay-RelaysGroupASG";
  }

  private void relayGroup(String region, int desired, int warmPool) {
    group(
        region,
        relayGroupName(region),
        "c6in.2xlarge",
        desired,
        warmPool,
        Map.of("liffey:managed", "true", "liffey:region", region, "liffey:fleet", "relay"));
  }

  public static String gpuGroupName(String region, String type) {
    return "Liffey-" + region + "-Transcode-" + type.replace(".", "") + "Group";
  }

  /** A GPU group as the transcode stack makes it. */
  public void gpuGroup(String region, String type, int desired, int warmPool) {
    group(
        region,
        gpuGroupName(region, type),
        type,
        desired,
        warmPool,
        Map.of(
            "liffey:managed",
            "true",
            "liffey:region",
            region,
            "liffey:fleet",
            "transcode",
            "liffey:instance-type",
            type));
  }

  public int desired(String region, String group) {
    return aws.autoScaling(region)
        .describeAutoScalingGroups(b -> b.autoScalingGroupNames(group))
        .autoScalingGroups()
        .get(0)
        .desiredCapacity();
  }

  private void group(
      String region,
      String name,
      String type,
      int desired,
      int warmPool,
      Map<String, String> tags) {
    try (Ec2Client ec2 =
        Ec2Client.builder().region(Region.of(region)).endpointOverride(endpoint).build()) {
      ec2.createLaunchTemplate(
          b ->
              b.launchTemplateName(name + "-lt")
                  .launchTemplateData(
                      d ->
                          d.imageId("ami-12c6146b")
                              .instanceType(type)
                              .metadataOptions(m -> m.httpTokens("required"))));
    }
    aws.autoScaling(region)
        .createAutoScalingGroup(
            b ->
                b.autoScalingGroupName(name)
                    .launchTemplate(t -> t.launchTemplateName(name + "-lt").version("$Latest"))
                    .minSize(desired)
                    .maxSize(120)
                    .desiredCapacity(desired)
                    .availabilityZones(region + "a", region + "b", region + "c")
                    .tags(
                        tags.entrySet().stream()
                            .map(
                                e ->
                                    Tag.builder()
                                        .key(e.getKey())
                                        .value(e.getValue())
                                        .resourceId(name)
                                        .resourceType("auto-scaling-group")
                                        .propagateAtLaunch(true)
                                        .build())
                            .toList()));
    aws.autoScaling(region).putWarmPool(b -> b.autoScalingGroupName(name).minSize(warmPool));
  }

  public int relayDesired(String region) {
    return aws.autoScaling(region)
        .describeAutoScalingGroups(b -> b.autoScalingGroupNames(relayGroupName(region)))
        .autoScalingGroups()
        .get(0)
        .desiredCapacity();
  }

  public int relayWarmPool(String region) {
    return aws.autoScaling(region)
        .describeWarmPool(b -> b.autoScalingGroupName(relayGroupName(region)))
        .warmPoolConfiguration()
        .minSize();
  }

  public Map<String, Integer> weights() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    aws
        .route53()
        .listResourceRecordSets(b -> b.hostedZoneId(config.routing().hostedZoneId()))
        .resourceRecordSets()
        .stream()
        .filter(r -> r.weight() != null)
        .forEach(r -> out.put(r.setIdentifier(), r.weight().intValue()));
    return out;
  }

  /** Market code to the name its geolocation record points at. */
  public Map<String, String> geoTargets() {
    Map<String, String> out = new java.util.TreeMap<>();
    aws
        .route53()
        .listResourceRecordSets(b -> b.hostedZoneId(config.routing().hostedZoneId()))
        .resourceRecordSets()
        .stream()
        .filter(r -> r.geoLocation() != null && r.setIdentifier() != null)
        .forEach(
            r ->
                out.put(
                    r.setIdentifier().substring(4),
                    r.resourceRecords().get(0).value().replaceAll("\\.$", "")));
    return out;
  }

  /** Every series of the contract, as the edge would publish it at {@code at}. */
  public void publish(
      Instant at,
      Map<String, Double> viewersByMarketRegion,
      Map<String, Double> latencyByMarketRegion) {
    publish(at, viewersByMarketRegion, latencyByMarketRegion, Map.of());
  }

  /** As above, with live streams per region (6 where not given). */
  public void publish(
      Instant at,
      Map<String, Double> viewersByMarketRegion,
      Map<String, Double> latencyByMarketRegion,
      Map<String, Double> streamsByRegion) {
    for (var region : config.regionIds()) {
      var cw = aws.cloudWatch(region);
      List<MetricDatum> data = new java.util.ArrayList<>();
      List<String> relays = relayInstances(region);
      for (var m : config.markets()) {
        if (m.servedBy().stream().noneMatch(s -> s.regionId().equals(region))) {
          continue;
        }
        String key = m.code() + "@" + region;
        // Every relay in service publishes its share of the market, zero included, as the real
        // agent does: the Sum is the market's viewers, the SampleCount how many relays reported.
        double viewers = viewersByMarketRegion.getOrDefault(key, 0.0);
        int publishers = Math.max(1, relays.size());
        double share = Math.floor(viewers / publishers);
        for (int i = 0; i < publishers; i++) {
          double value = i + 1 < publishers ? share : viewers - share * (publishers - 1);
          data.add(datum(EdgeMetrics.CONCURRENT_VIEWERS, m.code(), region, value, at));
        }
        // The relays taking joins publish their viewers' round trips again: the same here, as
        // on an edge no crowd has filled past the pack target.
        for (String metric : List.of(EdgeMetrics.EDGE_LATENCY_P95, EdgeMetrics.JOIN_LATENCY_P95)) {
          data.add(
              datum(metric, m.code(), region, latencyByMarketRegion.getOrDefault(key, 25.0), at));
        }
      }
      data.add(
          datum(
              EdgeMetrics.LIVE_STREAMS,
              null,
              region,
              streamsByRegion.getOrDefault(region, 6.0),
              at));
      // Each relay's own count, as its agent publishes it: the region's viewers shared evenly.
      double regionViewers =
          viewersByMarketRegion.entrySet().stream()
              .filter(e -> e.getKey().endsWith("@" + region))
              .mapToDouble(Map.Entry::getValue)
              .sum();
      for (String relay : relays) {
        data.add(
            EdgeData.datum(
                    EdgeMetrics.CONCURRENT_VIEWERS,
                    at,
                    EdgeMetrics.REGION,
                    region,
                    EdgeMetrics.INSTANCE_ID,
                    relay)
                .value(Math.ceil(regionViewers / relays.size()))
                .build());
      }
      cw.putMetricData(b -> b.namespace(EdgeMetrics.NAMESPACE).metricData(data));
    }
  }

  private static MetricDatum datum(
      String metric, String market, String region, double value, Instant at) {
    List<Dimension> dims =
        market == null
            ? List.of(Dimension.builder().name(EdgeMetrics.REGION).value(region).build())
            : List.of(
                Dimension.builder().name(EdgeMetrics.MARKET).value(market).build(),
                Dimension.builder().name(EdgeMetrics.REGION).value(region).build());
    return MetricDatum.builder()
        .metricName(metric)
        .dimensions(dims)
        .value(value)
        .timestamp(at)
        .storageResolution(1)
        .build();
  }
}
