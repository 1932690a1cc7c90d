package dev.liffey.autoscaler.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * timeouts are retried with exponential backoff and jitter (the SDK's standard strategy); how many
 * attempts, and how long an attempt and a whole call may take, are the {@link Timeouts} given.
 */
public final class AwsClients implements AutoCloseable {
  /** On-call's CLI: a person waiting; a failed command is better soon than right after a long backoff. */
  public static final int ON_CALL_ATTEMPTS = 3;

  /**
   * How long a call may take, and how often it is tried.
   *
   * @param connect to open a connection
   * @param attempt one attempt, and the longest wait for a byte of the answer
   * @param call the whole call, retries and backoff included
   */
  public record Timeouts(Duration connect, Duration attempt, Duration call, int attempts) {
    /** Patient: five attempts within 20 s (tests, tools). */
    public static final Timeouts DEFAULT =
        new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(20), 5);

    /**
     * The daemon's: every call ends within half the tick's deadline, so the tick's reads (made in
     * parallel) and an actuation after them both fit in it; three attempts.
     */
    public static Timeouts forTick(Duration tickDeadline) {
      Duration call = tickDeadline.dividedBy(2);
      Duration attempt = min(Duration.ofSeconds(5), call.dividedBy(2));
      return new Timeouts(min(Duration.ofSeconds(1), attempt), attempt, call, 3);
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }

  private final Optional<URI> endpoint;
  private final SdkHttpClient http;
  private final Map<String, AutoCloseable> clients = new ConcurrentHashMap<>();
  // Blocking calls, a few at a time (regions, inputs): threads are cheap next to a call's wait.
  private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "liffey-aws-read");
    t.setDaemon(true);
    return t;
  });

  private final List<ExecutionInterceptor> interceptors;
  private final Timeouts timeouts;

  public AwsClients(Optional<URI> endpoint) {
    this(endpoint, List.of());
  }

  /** @param interceptors see every call of every client (counting, metrics) */
  public AwsClients(Optional<URI> endpoint, List<ExecutionInterceptor> interceptors) {
    this(endpoint, interceptors, Timeouts.DEFAULT);
  }

  public AwsClients(Optional<URI> endpoint, List<ExecutionInterceptor> interceptors, Timeouts timeouts) {
    this.endpoint = endpoint;
    this.interceptors = List.copyOf(interceptors);
    this.timeouts = timeouts;
    this.http = UrlConnectionHttpClient.builder()
        .connectionTimeout(timeouts.connect())
        .socketTimeout(timeouts.attempt())
        .build();
  }

  /** From {@code aws.endpointUrl} or {@code AWS_ENDPOINT_URL}, else AWS itself. */
  public static AwsClients fromEnvironment() {
    return fromEnvironment(List.of());
  }

  public static AwsClients fromEnvironment(List<ExecutionInterceptor> interceptors) {
    return fromEnvironment(interceptors, Timeouts.DEFAULT);
  }

  public static AwsClients fromEnvironment(List<ExecutionInterceptor> interceptors, Timeouts timeouts) {
    return new AwsClients(endpointFromEnvironment(), interceptors, timeouts);
  }

  /** As {@link #fromEnvironment()}, with {@code maxAttempts} attempts a call (on-call's CLI uses fewer). */
  public static AwsClients fromEnvironment(int maxAttempts) {
    Timeouts d = Timeouts.DEFAULT;
    return fromEnvironment(List.of(), new Timeouts(d.connect(), d.attempt(), d.call(), maxAttempts));
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  /** {@code aws.endpointUrl} or {@code AWS_ENDPOINT_URL} (an emulator), if set. */
  public static Optional<URI> endpointFromEnvironment() {
    String url = System.getProperty("aws.endpointUrl", System.getenv("AWS_ENDPOINT_URL"));
    return url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url));
  }

  public Optional<URI> endpoint() {
    return endpoint;
  }

  /** Runs reads in parallel (one region, one input each); its threads end with {@link #close()}. */
  public Executor readers() {
    return readers;
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
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(timeouts.attempts())
                .build())
            .apiCallAttemptTimeout(timeouts.attempt())
            .apiCallTimeout(timeouts.call())
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
    readers.shutdownNow();
  }
}
