package dev.liffey.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * A fourth region, Paris, serving a fourth market, France: it gets the stacks every region gets,
 * France its record, and the whole app synthesizes. One synthesis nests a jsii callback for each
 * element of every relay stack, which a default thread stack overflowed at four regions (stop 70:
 * {@code StackOverflowError} in {@code JsiiRuntime}); the app synthesizes on a {@link DeepStack}.
 */
class FourthRegionTest {
  /** The repository's configuration with Frankfurt copied as Paris, and France served by both. */
  static String withParis(String yaml) {
    int start = yaml.indexOf("  - id: eu-central-1");
    int end = yaml.indexOf("\n# Countries");
    assertThat(start).isPositive();
    assertThat(end).isGreaterThan(start);
    String paris =
        yaml.substring(start, end)
            .replace("eu-central-1", "eu-west-3")
            .replace("Frankfurt", "Paris")
            .replace("10.42.0.0/16", "10.43.0.0/16");
    String withRegion = yaml.substring(0, end) + "\n" + paris.stripTrailing() + yaml.substring(end);
    return withRegion.replace(
        "  - code: DE\n",
        "  - code: FR\n"
            + "    name: France\n"
            + "    servedBy:\n"
            + "      - {region: eu-west-3, baseLatencyMillis: 7}\n"
            + "      - {region: eu-central-1, baseLatencyMillis: 14}\n"
            + "  - code: DE\n");
  }

  @Test
  void parisGetsTheStacksEveryRegionGets_franceItsRecord_andTheAppSynthesizes() throws Exception {
    String yaml = withParis(EdgeAppFixture.repositoryYaml());

    List<String> regions =
        DeepStack.call(
            () -> {
              EdgeAppFixture fixture = EdgeAppFixture.fromYaml(yaml);
              fixture.app.synth();
              var paris = fixture.edge.region("eu-west-3");
              Template relay = Template.fromStack(paris.relay());
              relay.resourceCountIs("AWS::AutoScaling::WarmPool", 1);
              relay.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 2);
              Template.fromStack(paris.eks()).resourceCountIs("AWS::EKS::Cluster", 1);
              Template.fromStack(fixture.edge.routing())
                  .hasResourceProperties(
                      "AWS::Route53::RecordSet",
                      Match.objectLike(Map.of("GeoLocation", Map.of("CountryCode", "FR"))));
              return fixture.edge.regionIds();
            });

    assertThat(regions).containsExactly("eu-west-1", "eu-west-2", "eu-central-1", "eu-west-3");
  }
}
