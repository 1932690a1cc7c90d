package dev.liffey.cdk;

import dev.liffey.core.config.EdgeConfig;
import java.util.List;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * Base of every Liffey stack: pinned to one region, tagged, and with its availability zones taken
 * from the configuration instead of a context look-up, so {@code cdk synth} needs no AWS account.
 */
public abstract class LiffeyStack extends Stack {
  private final List<String> availabilityZones;

  protected LiffeyStack(
      Construct scope,
      String id,
      EdgeConfig config,
      String region,
      List<String> zones,
      String description) {
    super(
        scope,
        id,
        StackProps.builder()
            .env(targetEnvironment(config, region))
            .description(description)
            .crossRegionReferences(false)
            .build());
    this.availabilityZones = List.copyOf(zones);
    config.tags().forEach((k, v) -> Tags.of(this).add(k, v));
    Tags.of(this).add("liffey:stack", id);
  }

  @Override
  public List<String> getAvailabilityZones() {
    return availabilityZones;
  }

  /** The account from the config, else {@code CDK_DEFAULT_ACCOUNT}, else left to deploy time. */
  static Environment targetEnvironment(EdgeConfig config, String region) {
    String account = config.account().orElse(System.getenv("CDK_DEFAULT_ACCOUNT"));
    var env = Environment.builder().region(region);
    if (account != null && !account.isBlank()) {
      env.account(account);
    }
    return env.build();
  }
}
