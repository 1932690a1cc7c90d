package dev.liffey.it.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.aws.EksClusters;
import dev.liffey.autoscaler.aws.EksToken;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.k8s.Fabric8WorkloadActuator;
import dev.liffey.it.emulator.EmulatorTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The daemon, in the primary region's cluster, scales the services of another region's cluster:
 * reached at its API endpoint, authenticated by an EKS token minted from the daemon's IAM role, and
 * authorized by the access entry and RBAC the CDK app synthesizes for that cluster. Two real API
 * servers (Dublin, London), the emulator as STS, and a token webhook doing what EKS does.
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES) // a first build of the API server, then seconds
class RemoteClusterIT extends EmulatorTest {
  @TempDir Path dir;

  private AwsCredentialsProvider assumed(String role, EksAuthenticator sts) {
    Credentials c =
        aws.sts(config.primaryRegion())
            .assumeRole(
                r ->
                    r.roleArn("arn:aws:iam::123456789012:role/" + role)
                        .roleSessionName("liffey-autoscaler"))
            .credentials();
    AwsSessionCredentials session =
        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    sts.knows(session);
    return StaticCredentialsProvider.create(session);
  }

  @Test
  void theDaemonScalesLondonsServices_withAnEksTokenFromItsRole_andFrankfurtDownLeavesOnlyIt()
      throws Exception {
    String london = "eu-west-2";
    SynthesizedManifests londonStack = SynthesizedManifests.of(london);
    Map<String, List<String>> entries = londonStack.accessEntries();
    String role =
        entries.entrySet().stream()
            .filter(e -> e.getValue().contains("liffey-autoscaler"))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no access entry maps a role to liffey-autoscaler in " + entries));

    try (EksAuthenticator authn = new EksAuthenticator(aws, config.clusterName(london), entries);
        KubeApiServer londonApi =
            KubeApiServer.start(
                dir.resolve("london"), Map.of(), authn.apiServerFlags(dir.resolve("authn")));
        KubeApiServer dublinApi = KubeApiServer.start(dir.resolve("dublin"), Map.of());
        KubernetesClient londonAdmin = londonApi.admin();
        KubernetesClient dublinAdmin = dublinApi.admin()) {
      londonStack.apply(londonAdmin, ServiceScalingIT.FENCES);
      SynthesizedManifests.of(config.primaryRegion()).apply(dublinAdmin, ServiceScalingIT.FENCES);
      for (KubernetesClient admin : List.of(londonAdmin, dublinAdmin)) {
        for (String service : List.of("chat", "wallet", "game")) {
          admin
              .apps()
              .deployments()
              .inNamespace(service)
              .resource(ServiceScalingIT.deployment(service, 2))
              .create();
        }
      }
      EksClusters.Locator locator =
          (region, name) -> {
            if (!region.equals(london)) {
              throw new IllegalStateException("cluster " + name + " is not reachable");
            }
            return new EksClusters.Endpoint(
                londonApi.url(),
                Base64.getEncoder()
                    .encodeToString(londonApi.caPem().getBytes(StandardCharsets.US_ASCII)));
          };

      AwsCredentialsProvider daemonRole = assumed(role, authn);
      try (KubernetesClient dublinDaemon =
              dublinApi.clientAsServiceAccount(
                  config.autoscaler().namespace(), "liffey-autoscaler");
          EksClusters clusters =
              new EksClusters(
                  config,
                  dublinDaemon,
                  locator,
                  daemonRole,
                  Optional.of(emulator.endpoint()),
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(10))) {
        var actuator = new Fabric8WorkloadActuator(config, clusters);

        assertThatThrownBy(actuator::services)
            .isInstanceOfSatisfying(
                PartialRead.class,
                p -> {
                  assertThat(p.problems())
                      .singleElement()
                      .asString()
                      .startsWith("eu-central-1: cluster Liffey-eu-central-1 is not reachable");
                  @SuppressWarnings("unchecked")
                  List<FleetState> read = (List<FleetState>) p.partial();
                  assertThat(read)
                      .extracting(f -> f.id().region())
                      .containsOnly(config.primaryRegion(), london)
                      .hasSize(6);
                });

        actuator.setReplicas(FleetId.service(london, "chat"), 7);
        assertThat(
                londonAdmin
                    .apps()
                    .deployments()
                    .inNamespace("chat")
                    .withName("chat-api")
                    .get()
                    .getSpec()
                    .getReplicas())
            .isEqualTo(7);
        assertThatThrownBy(() -> clusters.client(london).secrets().inNamespace("wallet").list())
            .as("the role's group reads no Secrets (it had AmazonEKSEditPolicy before)")
            .isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      }

      try (EksClusters stranger =
          new EksClusters(
              config,
              dublinAdmin,
              locator,
              assumed("someone-else", authn),
              Optional.of(emulator.endpoint()),
              Duration.ofSeconds(5),
              Duration.ofSeconds(10))) {
        // The API server answers 401 and, as it does for unauthenticated HTTP/2 clients since
        // its HTTP/2 DoS mitigation, ends the connection; the client sees the request fail.
        assertThatThrownBy(
                () -> stranger.client(london).apps().deployments().inNamespace("chat").list())
            .as("a role with no access entry is not let in")
            .isInstanceOf(KubernetesClientException.class);
        assertThat(authn.refusals()).contains("no access entry for role someone-else");
        // The daemon's warning says what to check, not only that the connection went away.
        assertThatThrownBy(new Fabric8WorkloadActuator(config, stranger)::services)
            .isInstanceOfSatisfying(
                PartialRead.class,
                p ->
                    assertThat(p.problems())
                        .filteredOn(problem -> problem.startsWith(london))
                        .singleElement()
                        .asString()
                        .contains("access entry for the daemon's role"));
      }

      // The daemon's own token, made for Frankfurt's cluster, is no token for London's.
      String forFrankfurt =
          EksToken.mint(
              daemonRole,
              london,
              config.clusterName("eu-central-1"),
              Optional.of(emulator.endpoint()),
              Clock.systemUTC());
      try (KubernetesClient replayed = londonApi.clientWithToken(forFrankfurt)) {
        assertThatThrownBy(() -> replayed.apps().deployments().inNamespace("chat").list())
            .isInstanceOf(KubernetesClientException.class);
        assertThat(authn.refusals()).anyMatch(r -> r.startsWith("the signature does not match"));
      }
    }
  }
}
