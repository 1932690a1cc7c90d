package dev.liffey.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.constructs.IConstruct;

/**
 * Acknowledges a cdk-nag finding on one construct (and its children), with the reason. Every
 * acknowledgement in Liffey goes through here, beside the resource it concerns.
 */
public final class Nag {
  private Nag() {}

  public static void acknowledge(IConstruct construct, String ruleId, String reason) {
    NagSuppressions.addResourceSuppressions(
        construct, List.of(NagPackSuppression.builder().id(ruleId).reason(reason).build()), true);
  }
}
