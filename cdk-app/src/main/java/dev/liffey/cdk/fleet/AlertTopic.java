package dev.liffey.cdk.fleet;

import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/** The region's topic for scaling notifications and alarms: encrypted, TLS only. */
public final class AlertTopic {
  private AlertTopic() {}

  public static Topic create(Construct scope, String id, String displayName) {
    return Topic.Builder.create(scope, id)
        .displayName(displayName)
        .masterKey(Alias.fromAliasName(scope, id + "Key", "alias/aws/sns"))
        .enforceSsl(true)
        .build();
  }
}
