package dev.liffey.cdk;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * A bucket that receives access logs: encrypted, TLS only, never public, versioned (a log deleted
 * or overwritten stays recoverable for 30 days), kept when its stack goes. Its own access is not
 * logged, which would loop; cdk-nag and checkov are told so.
 */
public final class AccessLogBucket {
  private AccessLogBucket() {}

  /**
   * @param keptFor how long a log is kept
   * @param receives whose access logs it receives, for the acknowledgements ("the load balancers'")
   */
  public static Bucket create(Construct scope, String id, Duration keptFor, String receives) {
    Bucket bucket =
        Bucket.Builder.create(scope, id)
            .encryption(BucketEncryption.S3_MANAGED)
            .enforceSsl(true)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .versioned(true)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .expiration(keptFor)
                        .noncurrentVersionExpiration(Duration.days(30))
                        .build()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    String loop =
        "This bucket receives " + receives + " access logs; logging its own access would loop";
    Nag.acknowledge(bucket, "AwsSolutions-S1", loop);
    Checkov.acknowledge(bucket, "CKV_AWS_18", loop);
    return bucket;
  }
}
