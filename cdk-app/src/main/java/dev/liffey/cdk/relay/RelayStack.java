package dev.liffey.cdk.relay;

import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.fleet.AlertTopic;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.Routing;
import dev.liffey.core.config.Scaling;
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
 * A region's WebRTC media relays: the Auto Scaling group (Janus, coturn and Liffey's edge agent on
 * Debian 12, each relay with its own public address for media) with its warm pool, a boot hook and
 * a drain hook, the region's TURN shared secret, a network load balancer for TURN, an application
 * load balancer for WHEP signalling behind WAF, the region's DNS names, and its alarms.
 */
public final class RelayStack extends LiffeyStack {
  /**
   * coturn's port on every relay, for TURN over UDP and over TCP; also the media load balancer's
   * TURN/UDP port.
   */
  public static final int TURN_PORT = 3478;

  /**
   * The first of Janus's ICE media ports ({@code rtp_port_range}): viewers send media straight to
   * the public address of the relay holding their session, one port per PeerConnection.
   */
  public static final int MEDIA_UDP_PORTS_FROM = 20000;

  /** The last of Janus's ICE media ports, inclusive. */
  public static final int MEDIA_UDP_PORTS_TO = 40000;

  /**
   * The first of the ports Janus's streaming plugin gives the mountpoints the agent makes for each
   * stream's renditions ({@code rtp_port_range} there): the transcoders send RTP to them from the
   * VPC.
   */
  public static final int FEED_RTP_PORTS_FROM = 10000;

  /** The last of the streams' RTP ports, inclusive; below the ICE ports, so neither takes both. */
  public static final int FEED_RTP_PORTS_TO = 19999;

  /**
   * The media load balancer's TURN/TCP port, forwarded to {@link #TURN_PORT} on the relays: plain
   * TURN over TCP, on the port firewalls that drop UDP tend to allow. Not TLS: nothing terminates
   * TLS on the relays.
   */
  public static final int TURN_TCP_LISTENER_PORT = 443;

  /**
   * The first of coturn's relay ports, where a viewer's relayed address lives on its TURN relay.
   */
  public static final int TURN_RELAY_PORTS_FROM = 49152;

  /** The last of coturn's relay ports, inclusive. */
  public static final int TURN_RELAY_PORTS_TO = 65535;

  /**
   * The edge agent's port on the relay (plain HTTP behind the signalling load balancer): WHEP under
   * {@code /whep/}, {@code /health}, and Janus's events on 127.0.0.1.
   */
  public static final int SIGNALLING_PORT = 8443;

  /** The load balancers' health check: the agent answers 200 serving, 503 draining. */
  public static final String HEALTH_PATH = "/health";

  /**
   * Where the transcoders send a live stream's H.264 video as RTP (payload type 96), from the VPC.
   */
  public static final int STREAM_VIDEO_RTP_PORT = 5004;

  /**
   * Where the transcoders send a live stream's Opus audio as RTP (payload type 111), from the VPC.
   */
  public static final int STREAM_AUDIO_RTP_PORT = 5002;

  /**
   * The relay group's terminate lifecycle hook, as the agent's {@code --lifecycle-hook} names it.
   */
  public static final String DRAIN_HOOK_NAME = "liffey-drain";

  /**
   * How long the drain hook waits for a heartbeat: the agent heartbeats every 60 s while viewers
   * remain and bounds the whole drain itself ({@code --drain-max}).
   */
  public static final int DRAIN_HEARTBEAT_TIMEOUT_SECONDS = 300;

  /**
   * The relay group's launch lifecycle hook, which the relay completes itself on every boot once
   * its agent and Janus answer ({@code liffey-boot-complete}, which the boot script writes).
   */
  public static final String BOOT_HOOK_NAME = "liffey-boot";

  /**
   * How long the boot hook holds a relay before abandoning it. A first boot runs apt-get update,
   * installs Janus, Java 17, the AWS CLI and the SSM agent and downloads the agent's jar: minutes
   * on a fresh instance, longer when a mirror is slow, so 15 minutes. A later start (leaving the
   * warm pool) completes it within seconds of the agent answering; only a broken relay waits the
   * whole timeout.
   */
  public static final int BOOT_HEARTBEAT_TIMEOUT_SECONDS = 900;

  /**
   * Debian 12 (amd64), the official image, resolved at deploy time through its public parameter.
   */
  public static final String DEBIAN_AMI_PARAMETER = "/aws/service/debian/release/12/latest/amd64";

  /**
   * The SSM path under which the platform team keeps viewers' token public keys (PEM), one
   * parameter per key, named by its key id.
   */
  public static final String VIEWER_TOKEN_KEYS_PATH = "/liffey/viewer-token-keys/";

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
    String regionalName = routing.regionalName(region.id());
    RelayGroup relays =
        new RelayGroup(
            this,
            "RelayGroup",
            region,
            props.marketsServed(),
            props.vpc(),
            props.edgeAgentJar(),
            regionalName,
            props.controlTable(),
            // Filled to the target utilization, or to the router's calm band, whichever first.
            new RelayBoot.Pack(
                region.relay().packTo(props.targetUtilization()),
                Math.round(Scaling.CALM_SHARE * props.latencySloMillis())),
            alerts);
    group = relays.group();
    IHostedZone zone =
        HostedZone.fromHostedZoneAttributes(
            this,
            "Zone",
            HostedZoneAttributes.builder()
                .hostedZoneId(routing.hostedZoneId())
                .zoneName(routing.hostedZone())
                .build());
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
                  // every viewer's round trip, from every relay: the p95 of them, not the worst
                  .dimensionsMap(Map.of("Market", market.code(), "Region", region.id()))
                  .statistic("p95")
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
