package dev.liffey.cdk.iam;

import dev.liffey.cdk.FleetTags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The statements the autoscaler's role and on-call's share, built once so the two cannot drift:
 * scaling only groups tagged {@code liffey:managed=true}, changing only named records, and the
 * control table's ARNs.
 */
public final class Statements {
  /** The record types Liffey reads weights and targets from. */
  static final List<String> RECORD_TYPES = List.of("A", "AAAA", "CNAME");

  private Statements() {}

  static String zoneArn(Stack stack, String hostedZoneId) {
    return "arn:" + stack.getPartition() + ":route53:::hostedzone/" + hostedZoneId;
  }

  /** A DynamoDB table's ARN in {@code region}, in the stack's partition and account. */
  public static String tableArn(Stack stack, String region, String table) {
    return "arn:"
        + stack.getPartition()
        + ":dynamodb:"
        + region
        + ":"
        + stack.getAccount()
        + ":table/"
        + table;
  }

  /**
   * Set desired capacity, the warm pool, and terminate a group's instance (a relay scale-in removes
   * the emptiest relays by id, decrementing desired): only on groups tagged {@code
   * liffey:managed=true}, in {@code regions}.
   */
  static PolicyStatement scaleManagedGroups(Stack stack, List<String> regions) {
    return PolicyStatement.Builder.create()
        .sid("ScaleManagedGroupsOnly")
        .effect(Effect.ALLOW)
        .actions(
            List.of(
                "autoscaling:SetDesiredCapacity",
                "autoscaling:PutWarmPool",
                "autoscaling:TerminateInstanceInAutoScalingGroup"))
        .resources(
            List.of(
                "arn:"
                    + stack.getPartition()
                    + ":autoscaling:*:"
                    + stack.getAccount()
                    + ":autoScalingGroup:*:autoScalingGroupName/*"))
        .conditions(
            Map.of(
                "StringEquals",
                Map.of(
                    "autoscaling:ResourceTag/" + FleetTags.MANAGED,
                    "true",
                    "aws:RequestedRegion",
                    regions)))
        .build();
  }

  /**
   * UPSERT, and nothing else, of A, AAAA and CNAME records named {@code names} in one zone, with
   * every condition key Route 53 offers for ChangeResourceRecordSets. {@code ForAllValues} holds of
   * a request with no value for its key, so {@code Null: false} also requires each key to be there
   * (a change batch always carries them; this keeps it so).
   *
   * <p>What IAM cannot express: a record's target (its value or alias target), its weight, its
   * SetIdentifier, its TTL or its routing policy. A role allowed to UPSERT a name may point it
   * anywhere. That is why the autoscaler daemon also checks, every tick, that the weighted records
   * still point at the regions' own names, and why these names are only those the routing stack
   * made.
   *
   * @param names lower-case, without a trailing dot: the normalized form the key compares (the
   *     configuration's validation keeps names so)
   */
  static PolicyStatement upsertRecords(
      String sid, Stack stack, String hostedZoneId, List<String> names) {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("route53:ChangeResourceRecordSetsNormalizedRecordNames", names);
    keys.put("route53:ChangeResourceRecordSetsRecordTypes", RECORD_TYPES);
    keys.put("route53:ChangeResourceRecordSetsActions", List.of("UPSERT"));
    Map<String, Object> present = new LinkedHashMap<>();
    keys.keySet().forEach(k -> present.put(k, "false"));
    return PolicyStatement.Builder.create()
        .sid(sid)
        .effect(Effect.ALLOW)
        .actions(List.of("route53:ChangeResourceRecordSets"))
        .resources(List.of(zoneArn(stack, hostedZoneId)))
        .conditions(Map.of("ForAllValues:StringEquals", keys, "Null", present))
        .build();
  }

  /** List the zone's records (Route 53 cannot narrow a list to names). */
  static PolicyStatement listRecords(Stack stack, String hostedZoneId) {
    return PolicyStatement.Builder.create()
        .sid("ReadRecords")
        .effect(Effect.ALLOW)
        .actions(List.of("route53:ListResourceRecordSets"))
        .resources(List.of(zoneArn(stack, hostedZoneId)))
        .build();
  }
}
