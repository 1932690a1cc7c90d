package dev.liffey.cdk.relay;

import java.util.List;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACL.AllowActionProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.BlockActionProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.ByteMatchStatementProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.DefaultActionProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.FieldToMatchProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.ManagedRuleGroupStatementProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.OverrideActionProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.RateBasedStatementProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.RuleActionProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.RuleProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.StatementProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.TextTransformationProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACL.VisibilityConfigProperty;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

/**
 * WAF in front of the signalling and API endpoints: AWS's IP reputation, known-bad-input and common
 * rule groups, and rate limits per client IP so a bot flood is blocked at the edge instead of
 * looking like an audience the autoscaler must scale for. Web ACLs for load balancers are regional,
 * so each region has its own.
 */
public final class SignallingFirewall extends Construct {
  /** Requests per client IP per minute to any path: a real viewer joins with a handful. */
  public static final int REQUESTS_PER_IP_PER_MINUTE = 600;

  /** Requests per client IP per minute to the wallet API, where abuse costs money. */
  public static final int WALLET_REQUESTS_PER_IP_PER_MINUTE = 60;

  private final CfnWebACL acl;

  public SignallingFirewall(
      Construct scope, String id, String metricPrefix, String loadBalancerArn) {
    super(scope, id);
    acl =
        CfnWebACL.Builder.create(this, "WebAcl")
            .scope("REGIONAL")
            .description(
                "Liffey signalling and API: reputation lists, bad inputs, per-IP rate limits")
            .defaultAction(
                DefaultActionProperty.builder()
                    .allow(AllowActionProperty.builder().build())
                    .build())
            .visibilityConfig(visibility(metricPrefix))
            .rules(
                List.of(
                    managed(0, "AWSManagedRulesAmazonIpReputationList", metricPrefix),
                    managed(1, "AWSManagedRulesKnownBadInputsRuleSet", metricPrefix),
                    rateLimit(2, "RateLimitPerIp", REQUESTS_PER_IP_PER_MINUTE, null, metricPrefix),
                    rateLimit(
                        3,
                        "RateLimitWalletPerIp",
                        WALLET_REQUESTS_PER_IP_PER_MINUTE,
                        "/api/wallet",
                        metricPrefix),
                    managed(4, "AWSManagedRulesCommonRuleSet", metricPrefix)))
            .build();
    CfnWebACLAssociation.Builder.create(this, "Association")
        .resourceArn(loadBalancerArn)
        .webAclArn(acl.getAttrArn())
        .build();
  }

  public CfnWebACL acl() {
    return acl;
  }

  private static RuleProperty managed(int priority, String name, String prefix) {
    return RuleProperty.builder()
        .name(name)
        .priority(priority)
        .overrideAction(OverrideActionProperty.builder().none(java.util.Map.of()).build())
        .statement(
            StatementProperty.builder()
                .managedRuleGroupStatement(
                    ManagedRuleGroupStatementProperty.builder()
                        .vendorName("AWS")
                        .name(name)
                        .build())
                .build())
        .visibilityConfig(visibility(prefix + name))
        .build();
  }

  private static RuleProperty rateLimit(
      int priority, String name, int perMinute, String pathPrefix, String prefix) {
    var rate =
        RateBasedStatementProperty.builder()
            .limit(perMinute)
            .evaluationWindowSec(60)
            .aggregateKeyType("IP");
    if (pathPrefix != null) {
      rate.scopeDownStatement(
          StatementProperty.builder()
              .byteMatchStatement(
                  ByteMatchStatementProperty.builder()
                      .fieldToMatch(
                          FieldToMatchProperty.builder().uriPath(java.util.Map.of()).build())
                      .positionalConstraint("STARTS_WITH")
                      .searchString(pathPrefix)
                      .textTransformations(
                          List.of(
                              TextTransformationProperty.builder()
                                  .priority(0)
                                  .type("NONE")
                                  .build()))
                      .build())
              .build());
    }
    return RuleProperty.builder()
        .name(name)
        .priority(priority)
        .action(RuleActionProperty.builder().block(BlockActionProperty.builder().build()).build())
        .statement(StatementProperty.builder().rateBasedStatement(rate.build()).build())
        .visibilityConfig(visibility(prefix + name))
        .build();
  }

  private static VisibilityConfigProperty visibility(String metricName) {
    return VisibilityConfigProperty.builder()
        .metricName(metricName)
        .cloudWatchMetricsEnabled(true)
        .sampledRequestsEnabled(true)
        .build();
  }
}
