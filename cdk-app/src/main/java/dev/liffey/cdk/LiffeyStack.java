package dev.liffey.cdk;

import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * Base of every Liffey stack: pinned to one region, tagged, and with its availability zones taken
 * from its props instead of a context look-up, so {@code cdk synth} needs no AWS account.
 */
public abstract class LiffeyStack extends Stack {
  private final List<String> availabilityZones;

  protected LiffeyStack(Construct scope, String id, LiffeyStackProps props, String description) {
    super(
        scope,
        id,
        StackProps.builder()
            .env(props.environment())
            .description(description)
            .crossRegionReferences(false)
            .build());
    this.availabilityZones = List.copyOf(props.availabilityZones());
    props.tags().forEach((k, v) -> Tags.of(this).add(k, v));
    Tags.of(this).add("liffey:stack", id);
  }

  @Override
  public List<String> getAvailabilityZones() {
    return availabilityZones;
  }
}
