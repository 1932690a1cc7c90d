package dev.liffey.cdk;

import static dev.liffey.cdk.EdgeAppFixture.actions;
import static dev.liffey.cdk.EdgeAppFixture.statements;
import static dev.liffey.cdk.EdgeAppFixture.template;
import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.cdk.iam.AutoscalerTrust;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

/**
 * What a security review signs: least privilege in every role, and a trail of what they did, in the
 * stacks synthesized from the repository's edge-regions.yaml.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180) // synthesis and cdk-nag through jsii, as EdgeAppTest
class LeastPrivilegeTest {
  private static final String ZONE = "Z04LIFFEYEXAMPLE00001";
  private static final String WEIGHTED = "ie.edge.live.liffey.example";
  private static final String ENTRY = "edge.live.liffey.example";

  private EdgeAppFixture fixture;
  private Template dublinNetwork;
  private Template dublinRelay;
  private Template dublinTranscode;
  private Template dublinEks;
  private Template control;

  @BeforeAll
  @Timeout(180)
  void synthesize() throws Exception {
    fixture = EdgeAppFixture.repository();
    var dublin = fixture.edge.region("eu-west-1");
    dublinNetwork = template(dublin.network());
    dublinRelay = template(dublin.relay());
    dublinTranscode = template(dublin.transcode());
    dublinEks = template(dublin.eks());
    control = template(fixture.edge.control());
  }

  private static Map<String, Object> bySid(List<Map<String, Object>> statements, String sid) {
    return statements.stream()
        .filter(s -> sid.equals(s.get("Sid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no statement " + sid + " in " + statements));
  }

  /** The statements of the role named {@code roleLogicalIdPrefix}'s policies. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statementsOf(Template t, String roleLogicalIdPrefix) {
    return t.findResources("AWS::IAM::Policy").values().stream()
        .map(r -> (Map<String, Object>) r.get("Properties"))
        .filter(p -> p.get("Roles").toString().contains("Ref=" + roleLogicalIdPrefix))
        .map(p -> (Map<String, Object>) p.get("PolicyDocument"))
        .flatMap(d -> ((List<Map<String, Object>>) d.get("Statement")).stream())
        .toList();
  }

  private List<Map<String, Object>> autoscaler() {
    return statementsOf(dublinEks, "AutoscalerRole");
  }

  private List<Map<String, Object>> onCall() {
    return statementsOf(control, "OnCallRole");
  }

  @Test
  void neitherTheAutoscalerNorOnCallMayDeleteOrRewriteTheAuditLog() {
    for (List<Map<String, Object>> role : List.of(autoscaler(), onCall())) {
      Map<String, Object> appendOnly = bySid(role, "AuditLogIsAppendOnly");
      assertThat(appendOnly.get("Effect")).isEqualTo("Deny");
      assertThat(actions(appendOnly))
          .containsExactlyInAnyOrder(
              "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem");
      assertThat(appendOnly.get("Condition"))
          .isEqualTo(
              Map.of("ForAnyValue:StringLike", Map.of("dynamodb:LeadingKeys", List.of("audit#*"))));
      // both replicas of the table
      assertThat(appendOnly.get("Resource").toString())
          .contains(":dynamodb:eu-west-1:")
          .contains(":dynamodb:eu-west-2:")
          .contains(":table/liffey-control");

      // a put may not give an audit record the TTL attribute, which would have DynamoDB delete it
      Map<String, Object> noExpiry = bySid(role, "AuditRecordsNeverExpire");
      assertThat(noExpiry.get("Effect")).isEqualTo("Deny");
      assertThat(actions(noExpiry)).containsExactly("dynamodb:PutItem");
      assertThat(noExpiry.get("Condition"))
          .isEqualTo(
              Map.of(
                  "ForAnyValue:StringLike",
                  Map.of("dynamodb:LeadingKeys", List.of("audit#*")),
                  "ForAnyValue:StringEquals",
                  Map.of("dynamodb:Attributes", List.of("expiresAt"))));

      Map<String, Object> partiQl = bySid(role, "NoPartiQLRewrites");
      assertThat(partiQl.get("Effect")).isEqualTo("Deny");
      assertThat(actions(partiQl))
          .containsExactlyInAnyOrder("dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyDataEventOnTheControlTable_inBothRegions_goesToAnEncryptedSignedTrail() {
    Map<String, Map<String, Object>> trails = control.findResources("AWS::CloudTrail::Trail");
    assertThat(trails).hasSize(1);
    Map<String, Object> trail =
        (Map<String, Object>) trails.values().iterator().next().get("Properties");
    assertThat(trail)
        .containsEntry("IsLogging", true)
        .containsEntry("IsMultiRegionTrail", true)
        .containsEntry("EnableLogFileValidation", true)
        .containsKey("KMSKeyId")
        .doesNotContainKey("EventSelectors");
    List<Map<String, Object>> selectors =
        (List<Map<String, Object>>) trail.get("AdvancedEventSelectors");
    assertThat(selectors).hasSize(1);
    List<Map<String, Object>> fields =
        (List<Map<String, Object>>) selectors.get(0).get("FieldSelectors");
    assertThat(fields)
        .contains(
            Map.of("Field", "eventCategory", "Equals", List.of("Data")),
            Map.of("Field", "resources.type", "Equals", List.of("AWS::DynamoDB::Table")));
    String arns =
        fields.stream()
            .filter(f -> f.get("Field").equals("resources.ARN"))
            .findFirst()
            .orElseThrow()
            .get("Equals")
            .toString();
    assertThat(arns)
        .contains(":dynamodb:eu-west-1:")
        .contains(":dynamodb:eu-west-2:")
        .contains(":table/liffey-control");

    // the log bucket: versioned, encrypted, no public access, its own access logged, TLS only
    String bucket = ((Map<String, Object>) trail.get("S3BucketName")).get("Ref").toString();
    control.hasResource(
        "AWS::S3::Bucket",
        Match.objectLike(
            Map.of(
                "Properties",
                Match.objectLike(
                    Map.of(
                        "VersioningConfiguration", Map.of("Status", "Enabled"),
                        "BucketEncryption", Match.anyValue(),
                        "LoggingConfiguration", Match.objectLike(Map.of()),
                        "PublicAccessBlockConfiguration",
                            Map.of(
                                "BlockPublicAcls", true,
                                "BlockPublicPolicy", true,
                                "IgnorePublicAcls", true,
                                "RestrictPublicBuckets", true))))));
    control.hasResourceProperties(
        "AWS::S3::BucketPolicy",
        Match.objectLike(
            Map.of(
                "Bucket",
                Map.of("Ref", bucket),
                "PolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        Match.arrayWith(
                            List.of(
                                Match.objectLike(
                                    Map.of(
                                        "Effect",
                                        "Deny",
                                        "Condition",
                                        Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                                Match.objectLike(
                                    Map.of(
                                        "Sid",
                                        "OnlyThisTrail",
                                        "Effect",
                                        "Deny",
                                        "Principal",
                                        Map.of("Service", "cloudtrail.amazonaws.com"))))))))));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> route53Condition(Map<String, Object> statement) {
    return (Map<String, Object>) statement.get("Condition");
  }

  @Test
  void route53ChangesAreUpsertsOfLiffeysOwnNamesAndTypes_underEveryConditionKeyIamOffers() {
    Map<String, Object> keysPresent =
        Map.of(
            "route53:ChangeResourceRecordSetsNormalizedRecordNames", "false",
            "route53:ChangeResourceRecordSetsRecordTypes", "false",
            "route53:ChangeResourceRecordSetsActions", "false");
    // the autoscaler: the weighted set only
    Map<String, Object> autoscaler = bySid(autoscaler(), "ReweightRoutedMarketOnly");
    assertThat(route53Condition(autoscaler))
        .isEqualTo(
            Map.of(
                "ForAllValues:StringEquals",
                Map.of(
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames", List.of(WEIGHTED),
                    "route53:ChangeResourceRecordSetsRecordTypes", List.of("A", "AAAA", "CNAME"),
                    "route53:ChangeResourceRecordSetsActions", List.of("UPSERT")),
                "Null",
                keysPresent));
    // on-call: the weighted set and the geolocation records drain and route move
    Map<String, Object> onCall = bySid(onCall(), "MoveLiffeysRecordsOnly");
    assertThat(route53Condition(onCall))
        .isEqualTo(
            Map.of(
                "ForAllValues:StringEquals",
                Map.of(
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                        List.of(WEIGHTED, ENTRY),
                    "route53:ChangeResourceRecordSetsRecordTypes", List.of("A", "AAAA", "CNAME"),
                    "route53:ChangeResourceRecordSetsActions", List.of("UPSERT")),
                "Null",
                keysPresent));
    for (Map<String, Object> s : List.of(autoscaler, onCall)) {
      assertThat(s.get("Resource").toString()).endsWith(":route53:::hostedzone/" + ZONE + "]]}");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void vpcFlowLogsRecordAllTraffic_encrypted_asTheNlbsAcknowledgementSays() {
    dublinNetwork.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "ALL"));
    assertThat(dublinNetwork.findResources("AWS::EC2::FlowLog").toString())
        .doesNotContain("REJECT");
    dublinNetwork.hasResourceProperties(
        "AWS::Logs::LogGroup",
        Match.objectLike(Map.of("RetentionInDays", 30, "KmsKeyId", Match.anyValue())));

    Map<String, Object> nlb =
        dublinRelay
            .findResources(
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Type", "network")))))
            .values()
            .iterator()
            .next();
    Map<String, Object> metadata = (Map<String, Object>) nlb.get("Metadata");
    assertThat(metadata.get("cdk_nag").toString())
        .contains("AwsSolutions-ELB2")
        .contains("VPC flow logs, which log all traffic (accepted and rejected)");
    assertThat(metadata.get("checkov").toString())
        .contains("CKV_AWS_91")
        .contains("which log all traffic");
  }

  @Test
  void everyWebAclLogsToAnEncryptedWafLogGroup_withTokensRedacted_andNoLoadBalancerCanBeDeleted() {
    int acls = dublinRelay.findResources("AWS::WAFv2::WebACL").size();
    assertThat(acls).isEqualTo(1);
    dublinRelay.resourceCountIs("AWS::WAFv2::LoggingConfiguration", acls);
    dublinRelay.hasResourceProperties(
        "AWS::Logs::LogGroup",
        Map.of(
            "LogGroupName",
            "aws-waf-logs-Liffey-eu-west-1-Relay",
            "RetentionInDays",
            90,
            "KmsKeyId",
            Match.anyValue(),
            "Tags",
            Match.anyValue()));
    dublinRelay.hasResourceProperties(
        "AWS::WAFv2::LoggingConfiguration",
        Map.of(
            "ResourceArn",
            Map.of("Fn::GetAtt", List.of("FirewallWebAcl5A849C4E", "Arn")),
            "LogDestinationConfigs",
            List.of(
                Map.of(
                    "Fn::Join",
                    List.of(
                        "",
                        List.of(
                            "arn:",
                            Map.of("Ref", "AWS::Partition"),
                            ":logs:eu-west-1:",
                            Map.of("Ref", "AWS::AccountId"),
                            ":log-group:aws-waf-logs-Liffey-eu-west-1-Relay")))),
            "RedactedFields",
            List.of(Map.of("SingleHeader", Map.of("Name", "authorization")))));

    dublinRelay.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 2);
    dublinRelay.allResourcesProperties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Match.objectLike(
            Map.of(
                "LoadBalancerAttributes",
                Match.arrayWith(
                    List.of(Map.of("Key", "deletion_protection.enabled", "Value", "true"))))));
  }

  @Test
  void everyRoleThatPublishesMetrics_publishesOnlyToLiffeyEdge_inItsOwnRegion() {
    int publishers = 0;
    for (Template t : List.of(dublinRelay, dublinTranscode, dublinEks, control)) {
      for (Map<String, Object> s : statements(t)) {
        if (actions(s).stream().anyMatch(a -> a.startsWith("cloudwatch:Put"))) {
          publishers++;
          assertThat(actions(s)).containsExactly("cloudwatch:PutMetricData");
          assertThat(s.get("Condition"))
              .isEqualTo(
                  Map.of(
                      "StringEquals",
                      Map.of(
                          "cloudwatch:namespace",
                          "Liffey/Edge",
                          "aws:RequestedRegion",
                          "eu-west-1")));
        }
      }
    }
    assertThat(publishers).as("relay and transcoder roles").isEqualTo(2);
  }

  @Test
  @SuppressWarnings("unchecked")
  void onCallsRoleNeedsMfa_lastsAnHour_andAllowsExactlyWhatTheCliCalls() {
    Map<String, Map<String, Object>> roles =
        control.findResources(
            "AWS::IAM::Role",
            Match.objectLike(
                Map.of("Properties", Match.objectLike(Map.of("RoleName", "Liffey-on-call")))));
    assertThat(roles).hasSize(1);
    Map<String, Object> role = (Map<String, Object>) roles.values().iterator().next();
    Map<String, Object> properties = (Map<String, Object>) role.get("Properties");
    assertThat(properties).containsEntry("MaxSessionDuration", 3600);
    List<Map<String, Object>> trust =
        (List<Map<String, Object>>)
            ((Map<String, Object>) properties.get("AssumeRolePolicyDocument")).get("Statement");
    assertThat(trust).hasSize(1);
    assertThat(trust.get(0))
        .containsEntry("Action", "sts:AssumeRole")
        .containsEntry("Condition", Map.of("Bool", Map.of("aws:MultiFactorAuthPresent", "true")));
    // this account's principals only
    assertThat(trust.get(0).get("Principal").toString())
        .contains("AWS=")
        .contains("Ref=AWS::AccountId")
        .endsWith(":root]]}}");

    Set<String> allowed = new TreeSet<>();
    onCall().stream()
        .filter(s -> "Allow".equals(s.get("Effect")))
        .forEach(s -> allowed.addAll(actions(s)));
    assertThat(allowed)
        .containsExactlyInAnyOrder(
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeScalingActivities",
            "autoscaling:SetDesiredCapacity",
            "autoscaling:PutWarmPool",
            "autoscaling:TerminateInstanceInAutoScalingGroup",
            "cloudwatch:GetMetricData",
            "route53:ListResourceRecordSets",
            "route53:ChangeResourceRecordSets",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem");
    Map<String, Object> table = bySid(onCall(), "ControlTable");
    assertThat(table.get("Resource").toString())
        .contains(":dynamodb:eu-west-1:")
        .doesNotContain("eu-west-2")
        .endsWith(":table/liffey-control]]}");
    assertThat(bySid(onCall(), "ScaleManagedGroupsOnly").get("Condition").toString())
        .contains("autoscaling:ResourceTag/liffey:managed=true");
    assertThat(bySid(onCall(), "ReadFleets").get("Condition"))
        .isEqualTo(
            Map.of(
                "StringEquals",
                Map.of("aws:RequestedRegion", List.of("eu-west-1", "eu-west-2", "eu-central-1"))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void autoscalerTrust_admitsPodIdentityOnlyForItsOwnClusterInItsOwnAccount() {
    App app = new App();
    Stack stack = new Stack(app, "Trust");
    Role role =
        Role.Builder.create(stack, "AutoscalerRole")
            .assumedBy(new ServicePrincipal("pods.eks.amazonaws.com"))
            .build();
    // as EksStack makes the role: a second, unconditioned statement for session tags
    role.getAssumeRolePolicy()
        .addStatements(
            software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                .actions(List.of("sts:TagSession"))
                .principals(List.of(new ServicePrincipal("pods.eks.amazonaws.com")))
                .build());

    AutoscalerTrust.scope(
        role, "111122223333", "arn:aws:eks:eu-west-1:111122223333:cluster/Liffey-eu-west-1");

    Map<String, Object> properties =
        (Map<String, Object>)
            Template.fromStack(stack)
                .findResources("AWS::IAM::Role")
                .values()
                .iterator()
                .next()
                .get("Properties");
    assertThat(properties.get("AssumeRolePolicyDocument"))
        .isEqualTo(
            Map.of(
                "Version",
                "2012-10-17",
                "Statement",
                List.of(
                    Map.of(
                        "Effect",
                        "Allow",
                        "Principal",
                        Map.of("Service", "pods.eks.amazonaws.com"),
                        "Action",
                        List.of("sts:AssumeRole", "sts:TagSession"),
                        "Condition",
                        Map.of(
                            "StringEquals",
                            Map.of(
                                "aws:SourceAccount",
                                "111122223333",
                                "aws:SourceArn",
                                "arn:aws:eks:eu-west-1:111122223333:cluster/Liffey-eu-west-1"))))));
  }
}
