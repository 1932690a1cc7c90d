package dev.liffey.cdk.global;

import dev.liffey.cdk.AccessLogBucket;
import dev.liffey.cdk.iam.Statements;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudtrail.CfnTrail;
import software.amazon.awscdk.services.cloudtrail.Trail;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.constructs.Construct;

/**
 * Who did what to the control table: a CloudTrail trail of the table's data events (every GetItem,
 * Query, PutItem, UpdateItem, DeleteItem and transaction, with its caller) in every region the
 * table has a replica in, chosen by an advanced event selector on the table's ARNs. Its log files
 * go to a versioned S3 bucket that refuses plain HTTP, each file encrypted with this trail's own
 * KMS key and signed (log file validation), the bucket's access logged to a second bucket. The
 * trail records this table only; the account's management events belong to the account's own trail.
 */
public final class ControlTableTrail extends Construct {
  private static final String FLAG_ACCESS_LOGS_BY_POLICY =
      "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy";

  private final Trail trail;
  private final Bucket logs;

  /**
   * @param tableName the control table, in {@code regions}
   * @param regions the table's primary region and its replicas
   */
  public ControlTableTrail(Construct scope, String id, String tableName, List<String> regions) {
    super(scope, id);
    // S3 server access logs delivered under a bucket policy (logging.s3.amazonaws.com, this
    // account's source buckets only), not the legacy LogDeliveryWrite ACL.
    getNode().setContext(FLAG_ACCESS_LOGS_BY_POLICY, true);
    Stack stack = Stack.of(this);
    String trailName = tableName + "-data-events";
    String trailArn =
        "arn:"
            + stack.getPartition()
            + ":cloudtrail:"
            + stack.getRegion()
            + ":"
            + stack.getAccount()
            + ":trail/"
            + trailName;

    Key key =
        Key.Builder.create(this, "TrailKey")
            .description("Liffey: log files of the " + trailName + " trail")
            .enableKeyRotation(true)
            .build();
    // CloudTrail encrypts this trail's files with it, and nothing else may have it encrypt.
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudTrailEncryptsThisTrailsLogs")
            .effect(Effect.ALLOW)
            .principals(List.of(new ServicePrincipal("cloudtrail.amazonaws.com")))
            .actions(List.of("kms:GenerateDataKey*"))
            .resources(List.of("*"))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of("aws:SourceArn", trailArn),
                    "StringLike",
                    Map.of(
                        "kms:EncryptionContext:aws:cloudtrail:arn",
                        "arn:"
                            + stack.getPartition()
                            + ":cloudtrail:*:"
                            + stack.getAccount()
                            + ":trail/*")))
            .build());
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudTrailDescribesTheKey")
            .effect(Effect.ALLOW)
            .principals(List.of(new ServicePrincipal("cloudtrail.amazonaws.com")))
            .actions(List.of("kms:DescribeKey"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("aws:SourceArn", trailArn)))
            .build());

    Bucket accessLogs =
        AccessLogBucket.create(
            this, "TrailAccessLogs", Duration.days(365), "the trail bucket's S3");

    logs =
        Bucket.Builder.create(this, "TrailLogs")
            .encryption(BucketEncryption.S3_MANAGED)
            .enforceSsl(true)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .versioned(true)
            .serverAccessLogsBucket(accessLogs)
            .serverAccessLogsPrefix("trail-logs/")
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();

    // The trail's own statements (aws-cdk-lib's) name CloudTrail but no trail: deny every other
    // trail, so no one else's trail can write here through CloudTrail (the confused deputy).
    logs.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("OnlyThisTrail")
            .effect(Effect.DENY)
            .principals(List.of(new ServicePrincipal("cloudtrail.amazonaws.com")))
            .actions(List.of("s3:PutObject", "s3:GetBucketAcl"))
            .resources(List.of(logs.getBucketArn(), logs.arnForObjects("*")))
            .conditions(Map.of("StringNotEquals", Map.of("aws:SourceArn", trailArn)))
            .build());

    trail =
        Trail.Builder.create(this, "Trail")
            .trailName(trailName)
            .bucket(logs)
            .encryptionKey(key)
            .enableFileValidation(true)
            // The replica's writes happen in its own region: a single-region trail would miss them.
            .isMultiRegionTrail(true)
            .includeGlobalServiceEvents(true)
            .build();
    CfnTrail cfn = (CfnTrail) trail.getNode().getDefaultChild();
    // Basic event selectors name DynamoDB tables too, but only advanced ones can select data
    // events alone, by the table's ARN in each region.
    cfn.addPropertyDeletionOverride("EventSelectors");
    cfn.setAdvancedEventSelectors(
        List.of(
            CfnTrail.AdvancedEventSelectorProperty.builder()
                .name("Control table data events")
                .fieldSelectors(
                    List.of(
                        field("eventCategory", List.of("Data")),
                        field("resources.type", List.of("AWS::DynamoDB::Table")),
                        field(
                            "resources.ARN",
                            regions.stream()
                                .map(r -> Statements.tableArn(stack, r, tableName))
                                .toList())))
                .build()));
  }

  private static CfnTrail.AdvancedFieldSelectorProperty field(String name, List<String> values) {
    return CfnTrail.AdvancedFieldSelectorProperty.builder().field(name).equalTo(values).build();
  }

  public Trail trail() {
    return trail;
  }

  public Bucket logs() {
    return logs;
  }
}
