package dev.liffey.cdk.relay;

import dev.liffey.cdk.FleetTags;
import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.Nag;
import dev.liffey.cdk.fleet.AlertTopic;
import dev.liffey.cdk.fleet.FleetGroup;
import dev.liffey.cdk.fleet.FleetInstanceRole;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.RelayFleet;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.BasicLifecycleHookProps;
import software.amazon.awscdk.services.autoscaling.DefaultResult;
import software.amazon.awscdk.services.autoscaling.LifecycleTransition;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddNetworkTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseNetworkListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.Protocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.CnameRecord;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
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

  public RelayStack(Construct scope, String id, EdgeConfig config, Region region, IVpc vpc) {
    super(
        scope,
        id,
        config,
        region.id(),
        region.availabilityZones(),
        "Liffey media relays in "
            + region.city()
            + " ("
            + region.id()
            + "): relay group, warm pool, load balancers, WAF");
    RelayFleet relay = region.relay();
    Topic alerts = AlertTopic.create(this, "Alerts", "Liffey relays " + region.id());

    SecurityGroup lbSecurityGroup =
        SecurityGroup.Builder.create(this, "SignallingLbSg")
            .vpc(vpc)
            .description("Signalling load balancer: HTTPS from viewers")
            .allowAllOutbound(false)
            .build();
    lbSecurityGroup.addIngressRule(
        Peer.anyIpv4(), Port.tcp(443), "HTTPS/WebSocket signalling from viewers");

    SecurityGroup relaySecurityGroup =
        SecurityGroup.Builder.create(this, "RelaySg")
            .vpc(vpc)
            .description("WebRTC relays: media from viewers (client IPs preserved by the NLB)")
            .build();
    relaySecurityGroup.addIngressRule(
        Peer.anyIpv4(), Port.udp(TURN_UDP_PORT), "TURN/UDP from viewers");
    relaySecurityGroup.addIngressRule(
        Peer.anyIpv4(), Port.udp(MEDIA_UDP_PORT), "WebRTC media from viewers");
    relaySecurityGroup.addIngressRule(
        Peer.anyIpv4(), Port.tcp(TURN_TLS_PORT), "TURN/TLS and ICE-TCP from viewers");
    relaySecurityGroup.addIngressRule(
        Peer.ipv4(region.vpcCidr()),
        Port.tcp(SIGNALLING_PORT),
        "signalling and health checks from the load balancers");
    lbSecurityGroup.addEgressRule(
        relaySecurityGroup, Port.tcp(SIGNALLING_PORT), "to the relays' signalling port");
    Nag.acknowledge(
        lbSecurityGroup,
        "AwsSolutions-EC23",
        "Public signalling endpoint: every viewer on the internet connects on 443; WAF filters it");
    Nag.acknowledge(
        relaySecurityGroup,
        "AwsSolutions-EC23",
        "WebRTC media and TURN must be reachable from every viewer's address; the NLB preserves client IPs");

    Role role =
        FleetInstanceRole.create(
            this,
            "RelayRole",
            "Liffey relay instances: publish edge metrics, drain themselves before termination");
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .sid("FinishOwnDrain")
            .effect(Effect.ALLOW)
            .actions(
                List.of(
                    "autoscaling:CompleteLifecycleAction",
                    "autoscaling:RecordLifecycleActionHeartbeat"))
            .resources(List.of("*"))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of(
                        "autoscaling:ResourceTag/" + FleetTags.REGION,
                        region.id(),
                        "autoscaling:ResourceTag/" + FleetTags.FLEET,
                        FleetTags.RELAY)))
            .build());
    Nag.acknowledge(
        role,
        "AwsSolutions-IAM5",
        "PutMetricData has no resource-level permissions (conditioned on namespace Liffey/Edge); lifecycle actions"
            + " are conditioned on this region's relay group tags");

    // The SFU ships in the relay AMI/image; the instance learns its region and drain budget here
    // and
    // watches IMDS (autoscaling/target-lifecycle-state) to start draining when told to terminate.
    UserData userData = UserData.forLinux();
    userData.addCommands(
        "mkdir -p /etc/liffey",
        "cat > /etc/liffey/relay.env <<'ENV'",
        "LIFFEY_REGION=" + region.id(),
        "LIFFEY_DRAIN_SECONDS=" + relay.drainTimeout().toSeconds(),
        "LIFFEY_SIGNALLING_PORT=" + SIGNALLING_PORT,
        "LIFFEY_MEDIA_UDP_PORT=" + MEDIA_UDP_PORT,
        "ENV",
        "systemctl enable --now liffey-relay.service || echo 'liffey-relay.service not in this image'");

    group =
        new FleetGroup(
                this,
                "Relays",
                vpc,
                relay.sizing(),
                MachineImage.latestAmazonLinux2023(),
                relaySecurityGroup,
                role,
                userData,
                30,
                alerts,
                Map.of(FleetTags.REGION, region.id(), FleetTags.FLEET, FleetTags.RELAY))
            .group();
    group.addLifecycleHook(
        "Drain",
        BasicLifecycleHookProps.builder()
            .lifecycleTransition(LifecycleTransition.INSTANCE_TERMINATING)
            .heartbeatTimeout(Duration.seconds(relay.drainTimeout().toSeconds()))
            .defaultResult(DefaultResult.CONTINUE)
            .notificationMetadata(
                "{\"action\":\"drain-viewers\",\"region\":\"" + region.id() + "\"}")
            .build());

    media =
        NetworkLoadBalancer.Builder.create(this, "MediaLb")
            .vpc(vpc)
            .internetFacing(true)
            .crossZoneEnabled(true)
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .build();
    Nag.acknowledge(
        media,
        "AwsSolutions-ELB2",
        "NLB access logs cover TLS listeners only; the media listeners are UDP and TCP passthrough, seen in VPC flow logs");
    HealthCheck relayHealth =
        HealthCheck.builder()
            .protocol(Protocol.HTTP)
            .port(String.valueOf(SIGNALLING_PORT))
            .path("/healthz")
            .interval(Duration.seconds(10))
            .healthyThresholdCount(2)
            .unhealthyThresholdCount(2)
            .build();
    addMediaListener("TurnUdp", TURN_UDP_PORT, Protocol.UDP, relayHealth);
    addMediaListener("MediaUdp", MEDIA_UDP_PORT, Protocol.UDP, relayHealth);
    addMediaListener("TurnTls", TURN_TLS_PORT, Protocol.TCP, relayHealth);

    IHostedZone zone =
        HostedZone.fromHostedZoneAttributes(
            this,
            "Zone",
            HostedZoneAttributes.builder()
                .hostedZoneId(config.routing().hostedZoneId())
                .zoneName(config.routing().hostedZone())
                .build());
    String regionalName = config.routing().regionalName(region.id());
    String signallingName = "signal." + regionalName;

    Bucket accessLogs =
        Bucket.Builder.create(this, "LbAccessLogs")
            .encryption(BucketEncryption.S3_MANAGED)
            .enforceSsl(true)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .versioned(false)
            .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    Nag.acknowledge(
        accessLogs,
        "AwsSolutions-S1",
        "This bucket receives the load balancers' access logs; logging its own access would loop");
    signalling =
        ApplicationLoadBalancer.Builder.create(this, "SignallingLb")
            .vpc(vpc)
            .internetFacing(true)
            .securityGroup(lbSecurityGroup)
            .dropInvalidHeaderFields(true)
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .build();
    signalling.logAccessLogs(accessLogs, "signalling");
    Certificate certificate =
        Certificate.Builder.create(this, "SignallingCertificate")
            .domainName(signallingName)
            .validation(CertificateValidation.fromDns(zone))
            .build();
    signalling
        .addListener(
            "Https",
            BaseApplicationListenerProps.builder()
                .port(443)
                .protocol(ApplicationProtocol.HTTPS)
                .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                .certificates(List.of(ListenerCertificate.fromCertificateManager(certificate)))
                .open(false)
                .build())
        .addTargets(
            "Relays",
            AddApplicationTargetsProps.builder()
                .port(SIGNALLING_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .targets(List.of(group))
                .healthCheck(
                    HealthCheck.builder().path("/healthz").interval(Duration.seconds(10)).build())
                .deregistrationDelay(Duration.seconds(30))
                .build());
    firewall =
        new SignallingFirewall(
            this, "Firewall", "liffey-" + region.id() + "-", signalling.getLoadBalancerArn());

    CnameRecord.Builder.create(this, "MediaRecord")
        .zone(zone)
        .recordName(regionalName)
        .domainName(media.getLoadBalancerDnsName())
        .ttl(Duration.seconds(config.routing().ttlSeconds()))
        .build();
    ARecord.Builder.create(this, "SignallingRecord")
        .zone(zone)
        .recordName(signallingName)
        .target(RecordTarget.fromAlias(new LoadBalancerTarget(signalling)))
        .build();

    alarms(config, region, alerts);
  }

  private void addMediaListener(String id, int port, Protocol protocol, HealthCheck health) {
    media
        .addListener(id, BaseNetworkListenerProps.builder().port(port).protocol(protocol).build())
        .addTargets(
            id + "Relays",
            AddNetworkTargetsProps.builder()
                .port(port)
                .protocol(protocol)
                .targets(List.of(group))
                .healthCheck(health)
                .deregistrationDelay(Duration.seconds(30))
                .preserveClientIp(true)
                .build());
  }

  private void alarms(EdgeConfig config, Region region, Topic alerts) {
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
    for (Market market : config.markets()) {
      if (market.servedBy().stream().noneMatch(s -> s.regionId().equals(region.id()))) {
        continue;
      }
      Alarm.Builder.create(this, "EdgeLatency" + market.code())
          .alarmDescription(
              "Edge latency p95 for "
                  + market.name()
                  + " viewers on "
                  + region.id()
                  + " above the "
                  + config.scaling().latencySloMillis()
                  + " ms SLO")
          .metric(
              Metric.Builder.create()
                  .namespace("Liffey/Edge")
                  .metricName("EdgeLatencyP95")
                  .dimensionsMap(Map.of("Market", market.code(), "Region", region.id()))
                  .statistic("Maximum")
                  .period(Duration.minutes(1))
                  .build())
          .threshold(config.scaling().latencySloMillis())
          .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
          .evaluationPeriods(3)
          .treatMissingData(TreatMissingData.MISSING)
          .build()
          .addAlarmAction(notify);
    }
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
