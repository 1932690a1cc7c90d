package dev.liffey.cdk.relay;

import dev.liffey.cdk.LogEncryption;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.wafv2.CfnLoggingConfiguration;
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
 * so each region has its own, and each logs every request to the region's {@code aws-waf-logs-} log
 * group.
 */
public final class SignallingFirewall extends Construct {
  /** Requests per client IP per minute to any path: a real viewer joins with a handful. */
  public static final int REQUESTS_PER_IP_PER_MINUTE = 600;

  /** Requests per client IP per minute to the wallet API, where abuse costs money. */
  public static final int WALLET_REQUESTS_PER_IP_PER_MINUTE = 60;

  /** What WAF requires a CloudWatch Logs destination's name to start with. */
  public static final String LOG_GROUP_PREFIX = "aws-waf-logs-";

  /** How long WAF's request logs are kept. */
  public static final RetentionDays LOG_RETENTION = RetentionDays.THREE_MONTHS;

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
    log();
  }

  /**
   * Every request WAF sees, with the rule that matched, to a log group WAF accepts (its name must
   * start with {@value #LOG_GROUP_PREFIX}), kept {@link #LOG_RETENTION} and encrypted with this
   * stack's key. Viewers' bearer tokens travel in {@code Authorization}: that header is redacted,
   * so the logs hold no credential.
   */
  private void log() {
    Stack stack = Stack.of(this);
    String name = logGroupName(stack);
    LogGroup logs =
        LogGroup.Builder.create(this, "WafLogs")
            .logGroupName(name)
            .retention(LOG_RETENTION)
            .encryptionKey(
                LogEncryption.key(
                    this, "WafLogsKey", "Liffey WAF logs, " + stack.getRegion() + ": log group"))
            .build();
    // WAF wants the log group's ARN without the ":*" that CloudFormation's Arn attribute carries.
    String arn =
        stack.formatArn(
            ArnComponents.builder()
                .service("logs")
                .resource("log-group")
                .resourceName(name)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    CfnLoggingConfiguration logging =
        CfnLoggingConfiguration.Builder.create(this, "WafLogging")
            .resourceArn(acl.getAttrArn())
            .logDestinationConfigs(List.of(arn))
            .redactedFields(
                List.of(
                    CfnLoggingConfiguration.FieldToMatchProperty.builder()
                        .singleHeader(Map.of("Name", "authorization"))
                        .build()))
            .build();
    logging.getNode().addDependency(logs);
  }

  /** {@code aws-waf-logs-<stack name>}: one per region's relay stack, unique in the account. */
  static String logGroupName(Stack stack) {
    return LOG_GROUP_PREFIX + stack.getStackName();
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
