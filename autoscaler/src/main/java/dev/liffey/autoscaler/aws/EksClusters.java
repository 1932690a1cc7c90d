package dev.liffey.autoscaler.aws;

import dev.liffey.autoscaler.k8s.ServiceClusters;
import dev.liffey.core.config.EdgeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * Every region's EKS cluster, as the daemon in the primary region reaches them: its own cluster
 * through the client it runs with (in-cluster, as its ServiceAccount), every other one at the API
 * endpoint {@code DescribeCluster} gives, trusting the CA it gives, with an {@link EksToken} minted
 * from the daemon's IAM role for each request. The CDK app opens those endpoints to the primary
 * region's NAT addresses only and maps the role to a namespaced Kubernetes group.
 *
 * <p>A cluster is described on first use; one that cannot be described (no network path, an IAM
 * refusal, no such cluster) is tried again on the next use, so it is skipped for that tick only.
 */
public final class EksClusters implements ServiceClusters, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EksClusters.class);

  /** Where a cluster's API is, and the CA its serving certificate chains to (base64 PEM). */
  public record Endpoint(String url, String caBase64) {}

  /** How a remote cluster is found: {@code DescribeCluster} on AWS. */
  public interface Locator {
    Endpoint locate(String region, String clusterName);
  }

  private final EdgeConfig config;
  private final KubernetesClient primary;
  private final Locator locator;
  private final AwsCredentialsProvider credentials;
  private final Optional<URI> stsEndpoint;
  private final Duration connect;
  private final Duration request;
  private final Map<String, KubernetesClient> remote = new ConcurrentHashMap<>();

  /**
   * @param primary the client of the primary region's cluster, which the caller keeps and closes
   * @param stsEndpoint an STS endpoint other than AWS's (an emulator), for the tokens
   */
  public EksClusters(
      EdgeConfig config,
      KubernetesClient primary,
      Locator locator,
      AwsCredentialsProvider credentials,
      Optional<URI> stsEndpoint,
      Duration connect,
      Duration request) {
    this.config = config;
    this.primary = primary;
    this.locator = locator;
    this.credentials = credentials;
    this.stsEndpoint = stsEndpoint;
    this.connect = connect;
    this.request = request;
  }

  /** Finds clusters by {@code DescribeCluster} in their region. */
  public static Locator describing(AwsClients aws) {
    return (region, name) -> {
      Cluster c = aws.eks(region).describeCluster(r -> r.name(name)).cluster();
      if (c.endpoint() == null || c.certificateAuthority() == null) {
        throw new IllegalStateException(
            "EKS cluster " + name + " in " + region + " has no endpoint yet (" + c.status() + ")");
      }
      return new Endpoint(c.endpoint(), c.certificateAuthority().data());
    };
  }

  @Override
  public Set<String> regions() {
    return Set.copyOf(config.regionIds()); // the primary's among them
  }

  @Override
  public KubernetesClient client(String region) {
    if (region.equals(config.primaryRegion())) {
      return primary;
    }
    if (!config.regionIds().contains(region)) {
      throw new IllegalStateException("no Kubernetes cluster configured for " + region);
    }
    return remote.computeIfAbsent(region, this::connect);
  }

  private KubernetesClient connect(String region) {
    String name = config.clusterName(region);
    Endpoint endpoint = locator.locate(region, name);
    Config k8s =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(endpoint.url())
            .withCaCertData(endpoint.caBase64())
            .withOauthTokenProvider(
                () -> EksToken.mint(credentials, region, name, stsEndpoint, Clock.systemUTC()))
            .withConnectionTimeout((int) connect.toMillis())
            .withRequestTimeout((int) request.toMillis())
            .withRequestRetryBackoffLimit(0)
            .build();
    log.info(
        "[region={}] EKS cluster {} at {}: scaling its services", region, name, endpoint.url());
    return new KubernetesClientBuilder().withConfig(k8s).build();
  }

  /** Closes the remote clusters' clients (not the primary's). */
  @Override
  public void close() {
    remote.values().forEach(KubernetesClient::close);
    remote.clear();
  }
}
