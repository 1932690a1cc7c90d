package dev.liffey.cdk.relay;

import dev.liffey.cdk.AccessLogBucket;
import dev.liffey.cdk.Nag;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.Construct;

/**
 * The signalling path: HTTPS from viewers (WHEP under {@code /whep/}) to an application load
 * balancer behind WAF, with its certificate, access logs and name ({@code signal.<region's name>}),
 * to the edge agent on each relay ({@link RelayStack#SIGNALLING_PORT}). Its health check is the
 * agent's {@code /health}, which answers 503 while the relay drains, so the load balancer sends a
 * draining relay nobody new.
 */
public final class SignallingEndpoint extends Construct {
  private final ApplicationLoadBalancer loadBalancer;
  private final SignallingFirewall firewall;

  /**
   * @param relaySecurityGroup the relays', which the load balancer may reach on the signalling port
   * @param regionalName the region's name; signalling is {@code signal.} under it
   * @param wafPrefix what the firewall's names start with
   */
  public SignallingEndpoint(
      Construct scope,
      String id,
      IVpc vpc,
      AutoScalingGroup relays,
      SecurityGroup relaySecurityGroup,
      IHostedZone zone,
      String regionalName,
      String wafPrefix) {
    super(scope, id);
    SecurityGroup lbSecurityGroup =
        SecurityGroup.Builder.create(this, "SignallingLbSg")
            .vpc(vpc)
            .description("Signalling load balancer: HTTPS from viewers")
            .allowAllOutbound(false)
            .build();
    lbSecurityGroup.addIngressRule(
        Peer.anyIpv4(), Port.tcp(443), "HTTPS/WebSocket signalling from viewers");
    lbSecurityGroup.addEgressRule(
        relaySecurityGroup,
        Port.tcp(RelayStack.SIGNALLING_PORT),
        "to the signalling port of the relays");
    Nag.acknowledge(
        lbSecurityGroup,
        "AwsSolutions-EC23",
        "Public signalling endpoint: every viewer on the internet connects on 443; WAF filters it");

    Bucket accessLogs =
        AccessLogBucket.create(this, "LbAccessLogs", Duration.days(90), "the load balancers'");
    loadBalancer =
        ApplicationLoadBalancer.Builder.create(this, "SignallingLb")
            .vpc(vpc)
            .internetFacing(true)
            .securityGroup(lbSecurityGroup)
            .dropInvalidHeaderFields(true)
            .deletionProtection(true)
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .build();
    loadBalancer.logAccessLogs(accessLogs, "signalling");
    String signallingName = "signal." + regionalName;
    Certificate certificate =
        Certificate.Builder.create(this, "SignallingCertificate")
            .domainName(signallingName)
            .validation(CertificateValidation.fromDns(zone))
            .build();
    loadBalancer
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
                .port(RelayStack.SIGNALLING_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .targets(List.of(relays))
                .healthCheck(
                    HealthCheck.builder()
                        .path(RelayStack.HEALTH_PATH)
                        .interval(Duration.seconds(10))
                        .build())
                .deregistrationDelay(Duration.seconds(30))
                .build());
    firewall =
        new SignallingFirewall(this, "Firewall", wafPrefix, loadBalancer.getLoadBalancerArn());
    ARecord.Builder.create(this, "SignallingRecord")
        .zone(zone)
        .recordName(signallingName)
        .target(RecordTarget.fromAlias(new LoadBalancerTarget(loadBalancer)))
        .build();
  }

  public ApplicationLoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public SignallingFirewall firewall() {
    return firewall;
  }
}
