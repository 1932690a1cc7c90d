package dev.liffey.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * CloudFormation replaces a resource whose logical ID changes. For the ones that carry state,
 * traffic or a name viewers resolve (groups, load balancers, records, certificates, tables,
 * clusters, VPCs, keys, buckets, web ACLs), a refactor that moves them to another construct must
 * keep their IDs ({@code overrideLogicalId}): this test lists them, and fails on any that changes.
 */
class StableLogicalIdsTest {
  private static final Set<String> KEPT =
      Set.of(
          "AWS::AutoScaling::AutoScalingGroup",
          "AWS::ElasticLoadBalancingV2::LoadBalancer",
          "AWS::Route53::RecordSet",
          "AWS::Route53::HealthCheck",
          "AWS::CertificateManager::Certificate",
          "AWS::DynamoDB::GlobalTable",
          "AWS::EKS::Cluster",
          "AWS::EKS::Nodegroup",
          "AWS::EC2::VPC",
          "AWS::KMS::Key",
          "AWS::S3::Bucket",
          "AWS::WAFv2::WebACL");
  private static final String LIST = "/dev/liffey/cdk/stable-logical-ids.txt";

  /** "stack logicalId type" for every kept resource of the repository's configuration, sorted. */
  static List<String> current() throws Exception {
    EdgeAppFixture fixture = EdgeAppFixture.repository();
    TreeSet<String> out = new TreeSet<>();
    for (var child : fixture.app.getNode().getChildren()) {
      if (child instanceof Stack stack) {
        Template.fromStack(stack).toJSON().entrySet().stream()
            .filter(e -> e.getKey().equals("Resources"))
            .flatMap(e -> ((java.util.Map<?, ?>) e.getValue()).entrySet().stream())
            .forEach(
                r -> {
                  String type = String.valueOf(((java.util.Map<?, ?>) r.getValue()).get("Type"));
                  if (KEPT.contains(type)) {
                    out.add(stack.getStackName() + " " + r.getKey() + " " + type);
                  }
                });
      }
    }
    return new ArrayList<>(out);
  }

  @Test
  void theLogicalIdsOfStatefulResourcesNeverChange_soADeployNeverReplacesThem() throws Exception {
    List<String> expected;
    try (InputStream in = StableLogicalIdsTest.class.getResourceAsStream(LIST)) {
      expected =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .toList();
    }

    List<String> now = current();

    assertThat(now)
        .as(
            "logical IDs of kept resources (a changed one would be replaced on deploy: keep it with"
                + " overrideLogicalId, or, if replacing it is meant, update %s)",
            LIST)
        .containsExactlyElementsOf(expected);
    assertThat(now).hasSizeGreaterThan(40);
  }
}
