package dev.liffey.cdk.network;

import dev.liffey.cdk.LiffeyStack;
import dev.liffey.cdk.LogEncryption;
import dev.liffey.cdk.Nag;
import dev.liffey.core.config.Region;
import java.util.LinkedHashMap;
import java.util.List;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * A region's VPC across its three zones: public subnets for the load balancers, private subnets for
 * relays, transcoders and EKS (large, for VPC-CNI pod addresses), NAT per zone, flow logs of all
 * traffic (accepted and rejected, encrypted with the stack's own key), and endpoints so the fleets
 * reach AWS APIs without crossing NAT.
 */
public final class NetworkStack extends LiffeyStack {
  private final Vpc vpc;

  public NetworkStack(Construct scope, String id, NetworkStackProps props) {
    super(
        scope,
        id,
        props.stack(),
        "Liffey network in "
            + props.region().city()
            + " ("
            + props.region().id()
            + "): VPC, NAT, endpoints, flow logs");
    Region region = props.region();
    vpc =
        Vpc.Builder.create(this, "Vpc")
            .ipAddresses(IpAddresses.cidr(region.vpcCidr()))
            .availabilityZones(region.availabilityZones())
            .natGateways(region.natGateways())
            .subnetConfiguration(
                List.of(
                    SubnetConfiguration.builder()
                        .name("public")
                        .subnetType(SubnetType.PUBLIC)
                        .cidrMask(22)
                        .build(),
                    SubnetConfiguration.builder()
                        .name("private")
                        .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                        .cidrMask(19)
                        .build()))
            .build();

    // ALL, not REJECT only: TURN and media pass the load balancers and security groups as accepted
    // traffic, and accepted flows are the only record of them (NLB access logs cover TLS only).
    LogGroup flowLogs =
        LogGroup.Builder.create(this, "FlowLogs")
            .retention(RetentionDays.ONE_MONTH)
            .encryptionKey(
                LogEncryption.key(
                    this, "FlowLogsKey", "Liffey VPC flow logs, " + region.id() + ": log group"))
            .build();
    vpc.addFlowLog(
        "FlowLog",
        FlowLogOptions.builder()
            .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
            .trafficType(FlowLogTrafficType.ALL)
            .build());

    vpc.addGatewayEndpoint(
        "S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build());
    vpc.addGatewayEndpoint(
        "DynamoDb",
        GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.DYNAMODB).build());
    var privateSubnets =
        SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    var endpoints = new LinkedHashMap<String, InterfaceVpcEndpointAwsService>();
    endpoints.put("Ecr", InterfaceVpcEndpointAwsService.ECR);
    endpoints.put("EcrDocker", InterfaceVpcEndpointAwsService.ECR_DOCKER);
    endpoints.put("Sts", InterfaceVpcEndpointAwsService.STS);
    endpoints.put("CloudWatch", InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING);
    endpoints.put("Logs", InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
    endpoints.put("AutoScaling", InterfaceVpcEndpointAwsService.AUTOSCALING);
    endpoints.put("Ssm", InterfaceVpcEndpointAwsService.SSM);
    endpoints.put("SsmMessages", InterfaceVpcEndpointAwsService.SSM_MESSAGES);
    endpoints.put("Ec2Messages", InterfaceVpcEndpointAwsService.EC2_MESSAGES);
    endpoints.forEach(
        (name, service) ->
            vpc.addInterfaceEndpoint(
                name,
                InterfaceVpcEndpointOptions.builder()
                    .service(service)
                    .subnets(privateSubnets)
                    .privateDnsEnabled(true)
                    .build()));
    // The endpoints admit HTTPS from the VPC's own block, a token cdk-nag cannot evaluate at synth.
    Nag.acknowledge(
        vpc,
        "CdkNagValidationFailure",
        "Endpoint security groups admit only the VPC CIDR (a deploy-time token)");
  }

  public Vpc vpc() {
    return vpc;
  }
}
