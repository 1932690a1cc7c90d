package dev.liffey.cdk;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** Builds the app from YAML text as {@code cdk synth} would, cdk-nag included. */
final class EdgeAppFixture {
  static final Path REPOSITORY_CONFIG = Path.of("..", EdgeConfigLoader.DEFAULT_FILE);
  private static final Clock NOV_2026 =
      Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC);

  final EdgeConfig config;
  final App app;
  final EdgeApp edge;

  private EdgeAppFixture(String yaml) throws Exception {
    config = new EdgeConfigLoader(NOV_2026).parse("edge-regions.yaml", yaml).config();
    app = EdgeApp.newApp();
    edge = EdgeApp.build(app, config, yaml);
    Aspects.of(app).add(new AwsSolutionsChecks());
  }

  static EdgeAppFixture repository() throws Exception {
    return fromYaml(repositoryYaml());
  }

  static EdgeAppFixture fromYaml(String yaml) throws Exception {
    return new EdgeAppFixture(yaml);
  }

  static String repositoryYaml() throws IOException {
    return Files.readString(REPOSITORY_CONFIG);
  }

  /** A security group's ingress rule from {@code cidr}, as {@code Template} matches it. */
  static Object ingress(String cidr, String protocol, int from, int to) {
    return software.amazon.awscdk.assertions.Match.objectLike(
        Map.of("CidrIp", cidr, "IpProtocol", protocol, "FromPort", from, "ToPort", to));
  }

  /** The condition that holds a fleet's lifecycle statement to its own region's groups. */
  static Map<String, Object> ownGroups(String region, String fleet) {
    return Map.of(
        "StringEquals",
        Map.of(
            "autoscaling:ResourceTag/liffey:region",
            region,
            "autoscaling:ResourceTag/liffey:fleet",
            fleet));
  }

  /** A CloudFormation parameter that resolves an AMI from the public SSM parameter {@code name}. */
  static Object imageParameter(String name) {
    return software.amazon.awscdk.assertions.Match.objectLike(
        Map.of("Type", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default", name));
  }

  static Template template(Stack stack) {
    return Template.fromStack(stack);
  }

  /** Every IAM policy statement of a template, flattened. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> statements(Template template) {
    return template.findResources("AWS::IAM::Policy").values().stream()
        .map(r -> (Map<String, Object>) r.get("Properties"))
        .map(p -> (Map<String, Object>) p.get("PolicyDocument"))
        .flatMap(d -> ((List<Map<String, Object>>) d.get("Statement")).stream())
        .toList();
  }

  /**
   * The JSON of every Kubernetes manifest the stack applies, concatenated; CloudFormation tokens
   * inside them (ARNs and the like) appear as {@code <token>}.
   */
  @SuppressWarnings("unchecked")
  static String kubernetesManifests(Template template) {
    var out = new StringBuilder();
    for (Map<String, Object> resource :
        template.findResources("Custom::AWSCDK-EKS-KubernetesResource").values()) {
      Object manifest = ((Map<String, Object>) resource.get("Properties")).get("Manifest");
      if (manifest instanceof String text) {
        out.append(text);
      } else if (manifest instanceof Map<?, ?> join
          && join.get("Fn::Join") instanceof List<?> parts) {
        for (Object part : (List<Object>) parts.get(1)) {
          out.append(part instanceof String text ? text : "<token>");
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * The user data of the template's first launch template, as the instance reads it; CloudFormation
   * tokens inside it (the asset bucket and the like) appear as {@code <token>}.
   */
  @SuppressWarnings("unchecked")
  static String userData(Template template) {
    Map<String, Object> launchTemplate =
        template.findResources("AWS::EC2::LaunchTemplate").values().iterator().next();
    Map<String, Object> data =
        (Map<String, Object>)
            ((Map<String, Object>) launchTemplate.get("Properties")).get("LaunchTemplateData");
    Object base64 = ((Map<String, Object>) data.get("UserData")).get("Fn::Base64");
    if (base64 instanceof String text) {
      return text;
    }
    var out = new StringBuilder();
    List<Object> parts = (List<Object>) ((Map<String, Object>) base64).get("Fn::Join");
    for (Object part : (List<Object>) parts.get(1)) {
      out.append(part instanceof String text ? text : "<token>");
    }
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  static List<String> actions(Map<String, Object> statement) {
    Object a = statement.get("Action");
    return a instanceof List<?> list ? (List<String>) list : List.of((String) a);
  }
}
