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
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
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
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Every AWS client Liffey uses, one per service and region, made on first use and shared
 * (thread-safe). Credentials come from the default chain. {@code AWS_ENDPOINT_URL} (or the {@code
 * aws.endpointUrl} system property) points every client at an emulator. Throttling, 5xx and
 * timeouts are retried with exponential backoff and jitter (the SDK's standard strategy), within
 * the {@link Timeouts} of the clients' profile: {@link Timeouts#DEFAULT} unless given.
 */
public final class AwsClients implements AutoCloseable {
  private final Optional<URI> endpoint;
  private final SdkHttpClient http;
  private final Map<String, AutoCloseable> clients = new ConcurrentHashMap<>();
  private final DefaultCredentialsProvider credentials =
      DefaultCredentialsProvider.builder().build();
  // Blocking calls, a few at a time (regions, inputs): threads are cheap next to a call's wait.
  private final ExecutorService readers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "liffey-aws-read");
            t.setDaemon(true);
            return t;
          });

  private final List<ExecutionInterceptor> interceptors;
  private final Timeouts timeouts;

  /**
   * How long a caller waits for AWS: to open a connection, for one attempt, for a whole call (its
   * attempts and the backoff between them), and how many attempts a call gets.
   */
  public record Timeouts(Duration connect, Duration attempt, Duration call, int maxAttempts) {
    public Timeouts {
      if (connect.isNegative()
          || connect.isZero()
          || attempt.compareTo(connect) < 0
          || call.compareTo(attempt) < 0) {
        throw new IllegalArgumentException(
            "timeouts must grow from connect "
                + connect
                + " to attempt "
                + attempt
                + " to call "
                + call);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be 1 or more, got " + maxAttempts);
      }
    }

    /** Patient: five attempts within 20 s (tests, tools). */
    public static final Timeouts DEFAULT =
        new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(20), 5);

    /**
     * On-call's CLI: a person waiting. A call ends within 1.2 s whatever the network does (SYNs
     * dropped, or a connection that never replies), so an unreachable AWS is exit 3 in under two
     * seconds from the keystroke. A connection gets 0.4 s (a TCP handshake with AWS takes well
     * under 0.1 s) and an attempt 1 s (AWS answers the CLI's calls in 0.1-0.3 s). Two attempts, not
     * more: a connect in progress cannot be cut short by the call's timeout, so two tries of 0.4 s
     * and the backoff between them (at most 0.1 s) must fit in the call's 1.2 s, with room for a
     * busy machine's scheduling (else the call's timeout ends the second try and on-call is told
     * "no reply" for a connection never made); a lost SYN, a reset or a 5xx still gets its retry.
     */
    public static final Timeouts ON_CALL =
        new Timeouts(Duration.ofMillis(400), Duration.ofSeconds(1), Duration.ofMillis(1200), 2);

    /**
     * The daemon's: every call ends within half the tick's deadline, so the tick's reads (made in
     * parallel) and an actuation after them both fit in it; three attempts, whose connects (which
     * the call's timeout cannot cut short) fit in the call too.
     */
    public static Timeouts forTick(Duration tickDeadline) {
      int attempts = 3;
      Duration call = tickDeadline.dividedBy(2);
      Duration attempt = min(Duration.ofSeconds(5), call.dividedBy(2));
      return new Timeouts(
          min(Duration.ofSeconds(1), call.dividedBy(attempts + 1)), attempt, call, attempts);
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }

  public AwsClients(Optional<URI> endpoint) {
    this(endpoint, List.of());
  }

  /**
   * @param interceptors see every call of every client (counting, metrics)
   */
  public AwsClients(Optional<URI> endpoint, List<ExecutionInterceptor> interceptors) {
    this(endpoint, interceptors, Timeouts.DEFAULT);
  }

  public AwsClients(
      Optional<URI> endpoint, List<ExecutionInterceptor> interceptors, Timeouts timeouts) {
    this.endpoint = endpoint;
    this.interceptors = List.copyOf(interceptors);
    this.timeouts = timeouts;
    // The attempt timeout, not the socket's, bounds a read: this one only backs it up.
    this.http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(timeouts.connect())
            .socketTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** From {@code aws.endpointUrl} or {@code AWS_ENDPOINT_URL}, else AWS itself. */
  public static AwsClients fromEnvironment() {
    return fromEnvironment(List.of());
  }

  public static AwsClients fromEnvironment(List<ExecutionInterceptor> interceptors) {
    return new AwsClients(endpointFromEnvironment(), interceptors, Timeouts.DEFAULT);
  }

  /**
   * As {@link #fromEnvironment(List)}, waiting as {@code timeouts} say ({@link Timeouts#ON_CALL}
   * for on-call's CLI).
   */
  public static AwsClients fromEnvironment(
      Timeouts timeouts, List<ExecutionInterceptor> interceptors) {
    return new AwsClients(endpointFromEnvironment(), interceptors, timeouts);
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

  public EksClient eks(String region) {
    return client("eks", region, r -> configure(EksClient.builder(), r).build());
  }

  /** The credentials every client signs with: the SDK's default chain (EKS Pod Identity on EKS). */
  public AwsCredentialsProvider credentials() {
    return credentials;
  }

  /** Route 53 is global. */
  public Route53Client route53() {
    return client("route53", "aws-global", r -> configure(Route53Client.builder(), r).build());
  }

  @SuppressWarnings("unchecked")
  private <C extends AutoCloseable> C client(
      String service, String region, Function<String, C> make) {
    return (C) clients.computeIfAbsent(service + "@" + region, k -> make.apply(region));
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region) {
    builder
        .region(Region.of(region))
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(timeouts.maxAttempts())
                        .build())
                .apiCallAttemptTimeout(timeouts.attempt())
                .apiCallTimeout(timeouts.call())
                .executionInterceptors(interceptors)
                .build());
    endpoint.ifPresent(builder::endpointOverride);
    if (builder
        instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
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
    credentials.close();
    http.close();
    readers.shutdownNow();
  }
}
