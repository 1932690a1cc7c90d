package dev.liffey.cdk.eks;

import dev.liffey.cdk.Nag;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.ec2.CfnEIP;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.ssm.StringListParameter;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * How the autoscaler, in the primary region's cluster, reaches every other region's cluster API:
 * those clusters' endpoints are public and private, the public one open only to the primary VPC's
 * NAT gateway addresses (the daemon's pods run in its private subnets and leave through them), and
 * EKS authenticates the caller by IAM and authorizes it by the access entry and RBAC ({@link
 * ScalerRbac}) as before. The primary's own cluster stays private.
 *
 * <p>Why not private connectivity: inter-region VPC peering (or a transit gateway) would need a
 * peering made in one region and accepted in another, routes in every private route table of both
 * VPCs and a rule in each remote cluster's security group, with the peering's id and the VPC ids
 * crossing regions in both directions, and it would carry every other flow between the VPCs too.
 * The NAT addresses are one value, crossing one way (primary to the others), for a few API calls a
 * tick; the public endpoint they open is TLS, IAM-authenticated and allow-listed to three
 * addresses.
 *
 * <p>The addresses are the Elastic IPs the primary VPC's NAT gateways already hold ({@code
 * AWS::EC2::EIP} resources of the network stack, fixed for the gateways' lives). CloudFormation
 * cannot read another region's values, and Liffey's stacks do not use CDK's cross-region
 * references, so the primary EKS stack writes them, as CIDRs, into an SSM String List parameter
 * {@link #parameterName} in every other region (one AWS SDK call each, through CDK's {@code
 * AwsCustomResource}), and each other region's EKS stack reads its own region's parameter as a
 * stack parameter ({@code AWS::SSM::Parameter::Value<List<String>>}), resolved on every deploy. The
 * other regions' EKS stacks already deploy after the primary's (they grant its role), and the CDK
 * CLI always redeploys a stack with SSM-typed parameters, so a replaced NAT gateway reaches the
 * allow-lists on the next {@code cdk deploy --all}.
 */
final class AutoscalerEgress {
  private AutoscalerEgress() {}

  /** The SSM parameter, in every region but the primary, holding the allow-listed CIDRs. */
  static String parameterName(String autoscalerRoleName) {
    return "/" + autoscalerRoleName + "/egress-cidrs";
  }

  /**
   * The public addresses the VPC's NAT gateways send from, as {@code /32} CIDRs (deploy-time
   * tokens): the Elastic IPs the VPC construct allocates, one per gateway.
   *
   * @throws IllegalArgumentException if the VPC has no NAT gateway
   */
  static List<String> natCidrs(IVpc vpc) {
    List<String> cidrs =
        vpc.getNode().findAll().stream()
            .filter(c -> c instanceof CfnEIP)
            // An EIP's Ref is its address (the same value as its PublicIp attribute).
            .map(c -> Fn.join("", List.of(((CfnEIP) c).getRef(), "/32")))
            .toList();
    if (cidrs.isEmpty()) {
      throw new IllegalArgumentException(
          vpc.getNode().getPath()
              + " has no NAT gateway: the autoscaler's pods could not reach other regions' clusters");
    }
    return cidrs;
  }

  /**
   * Writes {@code cidrs} to {@link #parameterName} in each of {@code regions} (in the primary EKS
   * stack), and deletes them with it.
   */
  static void publish(
      Construct scope, String autoscalerRoleName, List<String> cidrs, List<String> regions) {
    if (regions.isEmpty()) {
      return; // a single region: nothing to reach
    }
    Stack stack = Stack.of(scope);
    String name = parameterName(autoscalerRoleName);
    for (String region : regions) {
      AwsSdkCall put =
          AwsSdkCall.builder()
              .service("SSM")
              .action("putParameter")
              .region(region)
              // In a fixed order: Map.of's changes from one JVM to the next, and with it the
              // template, which would re-run the call on every deploy.
              .parameters(
                  new TreeMap<>(
                      Map.of(
                          "Name",
                          name,
                          "Type",
                          "StringList",
                          "Overwrite",
                          true,
                          "Description",
                          "Liffey: the primary region's NAT addresses, allowed to this region's"
                              + " EKS API",
                          "Value",
                          Fn.join(",", cidrs))))
              .physicalResourceId(PhysicalResourceId.of(name + "@" + region))
              .build();
      AwsSdkCall delete =
          AwsSdkCall.builder()
              .service("SSM")
              .action("deleteParameter")
              .region(region)
              .parameters(Map.of("Name", name))
              .ignoreErrorCodesMatching("ParameterNotFound")
              .build();
      AwsCustomResource.Builder.create(scope, "EgressCidrs" + camel(region))
          .resourceType("Custom::LiffeyEgressCidrs")
          .onCreate(put)
          .onUpdate(put)
          .onDelete(delete)
          .installLatestAwsSdk(false)
          .policy(
              AwsCustomResourcePolicy.fromStatements(
                  List.of(
                      PolicyStatement.Builder.create()
                          .actions(List.of("ssm:PutParameter", "ssm:DeleteParameter"))
                          .resources(
                              List.of(
                                  "arn:"
                                      + stack.getPartition()
                                      + ":ssm:"
                                      + region
                                      + ":"
                                      + stack.getAccount()
                                      + ":parameter"
                                      + name))
                          .build())))
          .build();
    }
    IConstruct function =
        stack
            .getNode()
            .findChild("AWS" + AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", ""));
    Nag.acknowledge(
        function,
        "AwsSolutions-IAM4",
        "CDK's AwsCustomResource function logs through AWSLambdaBasicExecutionRole; its own policy"
            + " is the one SSM parameter it writes in each region");
    Nag.acknowledge(
        function,
        "AwsSolutions-L1",
        "AwsCustomResource's runtime is chosen and upgraded by aws-cdk-lib");
  }

  /** The CIDRs the primary region wrote for this region (in another region's EKS stack). */
  static List<String> read(Construct scope, String autoscalerRoleName) {
    return StringListParameter.valueForTypedListParameter(scope, parameterName(autoscalerRoleName));
  }

  private static String camel(String region) {
    StringBuilder out = new StringBuilder();
    for (String part : region.split("-")) {
      out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
    }
    return out.toString();
  }
}
