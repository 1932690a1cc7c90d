package dev.liffey.autoscaler.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Every AWS client Liffey uses, one per service and region, made on first use and shared
 * (thread-safe). Credentials come from the default chain. {@code AWS_ENDPOINT_URL} (or the
 * {@code aws.endpointUrl} system property) points every client at an emulator. Throttling, 5xx and
 * timeouts are retried with exponential backoff and jitter (the SDK's standard strategy, five
 * attempts, or as given); a call gives up after {@link #CALL_TIMEOUT}.
 */
public final class AwsClients implements AutoCloseable {
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
  static final int MAX_ATTEMPTS = 5;
  /** On-call's CLI: a person waiting; a failed command is better soon than right after a long backoff. */
  public static final int ON_CALL_ATTEMPTS = 3;

  private final Optional<URI> endpoint;
  private final SdkHttpClient http = UrlConnectionHttpClient.builder()
      .connectionTimeout(Duration.ofSeconds(3))
      .socketTimeout(Duration.ofSeconds(10))
      .build();
  private final Map<String, AutoCloseable> clients = new ConcurrentHashMap<>();

  private final List<ExecutionInterceptor> interceptors;
  private final int maxAttempts;

  public AwsClients(Optional<URI> endpoint) {
    this(endpoint, List.of());
  }

  /** @param interceptors see every call of every client (counting, metrics) */
  public AwsClients(Optional<URI> endpoint, List<ExecutionInterceptor> interceptors) {
    this(endpoint, interceptors, MAX_ATTEMPTS);
  }

  private AwsClients(Optional<URI> endpoint, List<ExecutionInterceptor> interceptors, int maxAttempts) {
    this.endpoint = endpoint;
    this.interceptors = List.copyOf(interceptors);
    this.maxAttempts = maxAttempts;
  }

  /** From {@code aws.endpointUrl} or {@code AWS_ENDPOINT_URL}, else AWS itself. */
  public static AwsClients fromEnvironment() {
    return fromEnvironment(List.of());
  }

  public static AwsClients fromEnvironment(List<ExecutionInterceptor> interceptors) {
    return new AwsClients(endpointFromEnvironment(), interceptors, MAX_ATTEMPTS);
  }

  /** As {@link #fromEnvironment()}, with {@code maxAttempts} attempts a call (on-call's CLI uses fewer). */
  public static AwsClients fromEnvironment(int maxAttempts) {
    return new AwsClients(endpointFromEnvironment(), List.of(), maxAttempts);
  }

  private static Optional<URI> endpointFromEnvironment() {
    String url = System.getProperty("aws.endpointUrl", System.getenv("AWS_ENDPOINT_URL"));
    return url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url));
  }

  public Optional<URI> endpoint() {
    return endpoint;
  }

  public CloudWatchClient cloudWatch(String region) {
    return client("cloudwatch", region, r -> configure(CloudWatchClient.builder(), r).build());
  }

  public AutoScalingClient autoScaling(String region) {
    return client("autoscaling", region, r -> configure(AutoScalingClient.builder(), r).build());
  }

  public DynamoDbClient dynamoDb(String region) {
    return client("dynamodb", region, r -> configure(DynamoDbClient.builder(), r).build());
  }

  public StsClient sts(String region) {
    return client("sts", region, r -> configure(StsClient.builder(), r).build());
  }

  /** Route 53 is global. */
  public Route53Client route53() {
    return client("route53", "aws-global", r -> configure(Route53Client.builder(), r).build());
  }

  @SuppressWarnings("unchecked")
  private <C extends AutoCloseable> C client(String service, String region, Function<String, C> make) {
    return (C) clients.computeIfAbsent(service + "@" + region, k -> make.apply(region));
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region) {
    builder.region(Region.of(region))
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build())
            .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
            .apiCallTimeout(CALL_TIMEOUT)
            .executionInterceptors(interceptors)
            .build());
    endpoint.ifPresent(builder::endpointOverride);
    if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClient(http);
    }
    return builder;
  }

  @Override
  public void close() {
    for (AutoCloseable c : clients.values()) {
      try {
        c.close();
      } catch (Exception e) {
        // closing is best effort at shutdown
      }
    }
    http.close();
  }
}
