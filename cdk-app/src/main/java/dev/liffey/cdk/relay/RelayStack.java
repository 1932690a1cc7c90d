package dev.liffey.cdk.relay;

import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.fleet.AlertTopic;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.Routing;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkLoadBalancer;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * A region's WebRTC media relays (SFUs): the Auto Scaling group with its warm pool and a drain
 * hook, a network load balancer for media (UDP and TCP, as WebRTC and TURN need), an application
 * load balancer for signalling behind WAF, the region's DNS names, and its alarms.
 */
public final class RelayStack extends LiffeyStack {
  /** TURN over UDP. */
  public static final int TURN_UDP_PORT = 3478;

  /** WebRTC media, every session multiplexed on one UDP port. */
  public static final int MEDIA_UDP_PORT = 7882;

  /** TURN over TLS and ICE-TCP, for viewers behind firewalls that drop UDP. */
  public static final int TURN_TLS_PORT = 443;

  /** Signalling (WebSocket) and health, on the relay. */
  public static final int SIGNALLING_PORT = 8443;

  private final AutoScalingGroup group;
  private final NetworkLoadBalancer media;
  private final ApplicationLoadBalancer signalling;
  private final SignallingFirewall firewall;

  public RelayStack(Construct scope, String id, RelayStackProps props) {
    super(
        scope,
        id,
        props.stack(),
        "Liffey media relays in "
            + props.region().city()
            + " ("
            + props.region().id()
            + "): relay group, warm pool, load balancers, WAF");
    Region region = props.region();
    Routing routing = props.routing();
    Topic alerts = AlertTopic.create(this, "Alerts", "Liffey relays " + region.id());
    RelayGroup relays = new RelayGroup(this, "RelayGroup", region, props.vpc(), alerts);
    group = relays.group();
    IHostedZone zone =
        HostedZone.fromHostedZoneAttributes(
            this,
            "Zone",
            HostedZoneAttributes.builder()
                .hostedZoneId(routing.hostedZoneId())
                .zoneName(routing.hostedZone())
                .build());
    String regionalName = routing.regionalName(region.id());
    media =
        new MediaLoadBalancer(
                this, "Media", props.vpc(), group, zone, regionalName, routing.ttlSeconds())
            .loadBalancer();
    SignallingEndpoint endpoint =
        new SignallingEndpoint(
            this,
            "Signalling",
            props.vpc(),
            group,
            relays.securityGroup(),
            zone,
            regionalName,
            "liffey-" + region.id() + "-");
    signalling = endpoint.loadBalancer();
    firewall = endpoint.firewall();
    alarms(props, alerts);
  }

  private void alarms(RelayStackProps props, Topic alerts) {
    Region region = props.region();
    SnsAction notify = new SnsAction(alerts);
    int nearCeiling = Math.max(1, (int) Math.floor(region.relay().sizing().maxInstances() * 0.9));
    Alarm.Builder.create(this, "RelaysNearCeiling")
        .alarmDescription(
            "Relays in "
                + region.id()
                + " at 90% of maxInstances: raise it in edge-regions.yaml or shift viewers")
        .metric(
            Metric.Builder.create()
                .namespace("AWS/AutoScaling")
                .metricName("GroupInServiceInstances")
                .dimensionsMap(Map.of("AutoScalingGroupName", group.getAutoScalingGroupName()))
                .statistic("Maximum")
                .period(Duration.minutes(1))
                .build())
        .threshold(nearCeiling)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .evaluationPeriods(3)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build()
        .addAlarmAction(notify);
    for (Market market : props.marketsServed()) {
      Alarm.Builder.create(this, "EdgeLatency" + market.code())
          .alarmDescription(
              "Edge latency p95 for "
                  + market.name()
                  + " viewers on "
                  + region.id()
                  + " above the "
                  + props.latencySloMillis()
                  + " ms SLO")
          .metric(
              Metric.Builder.create()
                  .namespace("Liffey/Edge")
                  .metricName("EdgeLatencyP95")
                  .dimensionsMap(Map.of("Market", market.code(), "Region", region.id()))
                  .statistic("Maximum")
                  .period(Duration.minutes(1))
                  .build())
          .threshold(props.latencySloMillis())
          .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
          .evaluationPeriods(3)
          .treatMissingData(TreatMissingData.MISSING)
          .build()
          .addAlarmAction(notify);
    }
  }

  /**
   * The constructs this stack groups its resources into, left out of their logical IDs: the IDs
   * stay those the stack had before it was split (see {@link FlatLogicalIds}).
   */
  private static final java.util.Set<String> GROUPS =
      java.util.Set.of("RelayGroup", "Media", "Signalling");

  private java.util.Map<String, String> renames;

  @Override
  protected String allocateLogicalId(software.amazon.awscdk.CfnElement element) {
    if (renames == null) {
      renames = dev.liffey.cdk.FlatLogicalIds.renames(this, GROUPS);
    }
    return dev.liffey.cdk.FlatLogicalIds.of(this, element, GROUPS, renames);
  }

  public AutoScalingGroup group() {
    return group;
  }

  public NetworkLoadBalancer mediaLoadBalancer() {
    return media;
  }

  public ApplicationLoadBalancer signallingLoadBalancer() {
    return signalling;
  }

  public SignallingFirewall firewall() {
    return firewall;
  }
}
