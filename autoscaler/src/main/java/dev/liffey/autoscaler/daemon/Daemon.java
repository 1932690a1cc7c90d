package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.aws.EksClusters;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.TickReport;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.autoscaler.k8s.Fabric8WorkloadActuator;
import dev.liffey.autoscaler.k8s.LeaderGate;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.autoscaler.k8s.ServiceClusters;
import dev.liffey.core.config.Autoscaler;
import dev.liffey.core.config.EdgeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of the daemon against AWS: its clients (calls sized to the tick's deadline), the live
 * control loop, leadership through the Lease (or alone), the control loop and the other jobs on
 * Quartz, and {@code /healthz}, {@code /readyz}, {@code /metrics}. {@code liffey-autoscaler} runs
 * one; the soak runs two side by side. Not thread-safe: start and close it from one thread.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("liffey");

  /**
   * What the lease must have left beyond one call's longest run (its call timeout, and a connect in
   * progress that the timeout cannot cut short) before a call starts: clocks on EC2 agree to within
   * milliseconds (Amazon Time Sync); a second covers a host that drifts.
   */
  static final Duration CLOCK_MARGIN = Duration.ofSeconds(1);

  private final EdgeConfig edge;
  private final Options options;
  private final DaemonMetrics metrics;
  private final AwsClients aws;
  private final DynamoDbControlStore store;
  private final LeaderGate gate;
  private final Leadership leadership;
  private final LiveDriver driver;
  private final Optional<EksClusters> remoteClusters;
  private HealthServer http;
  private ScheduledLoop loop;
  private boolean closed;

  /**
   * @param dryRun decide and record, never act
   * @param leaderElect campaign for the Lease; only the leader acts
   * @param identity this replica's name in the Lease
   * @param httpPort of /healthz, /readyz and /metrics; 0 for any free port
   * @param createControlTable create the control table when it is missing (emulators, first runs)
   */
  public record Options(
      boolean dryRun,
      boolean leaderElect,
      String identity,
      String httpHost,
      int httpPort,
      boolean createControlTable,
      boolean primaryClusterOnly) {}

  /** Told of every leader tick and every change of leadership, from the daemon's threads. */
  public interface Listener {
    default void ticked(TickReport report) {}

    default void leadership(boolean gained, long fencingToken) {}
  }

  private Daemon(
      EdgeConfig edge,
      Options options,
      DaemonMetrics metrics,
      AwsClients aws,
      DynamoDbControlStore store,
      LeaderGate gate,
      Leadership leadership,
      LiveDriver driver,
      Optional<EksClusters> remoteClusters) {
    this.edge = edge;
    this.options = options;
    this.metrics = metrics;
    this.aws = aws;
    this.store = store;
    this.gate = gate;
    this.leadership = leadership;
    this.driver = driver;
    this.remoteClusters = remoteClusters;
  }

  /**
   * Wires a replica (leader election starts at once; nothing is scheduled until {@link #start()}).
   *
   * @param awsEndpoint every AWS client's endpoint (an emulator); empty for AWS itself
   * @param k8s the Kubernetes API (services, the Lease); the caller keeps and closes it
   */
  public static Daemon create(
      EdgeConfig edge,
      Optional<URI> awsEndpoint,
      Optional<KubernetesClient> k8s,
      Options options,
      Listener listener) {
    if (options.leaderElect() && k8s.isEmpty()) {
      throw new IllegalArgumentException("leader election needs a Kubernetes API");
    }
    Autoscaler settings = edge.autoscaler();
    LeaderGate[] gate = new LeaderGate[1]; // the metrics ask it, and it reports to the metrics
    DaemonMetrics metrics = new DaemonMetrics(() -> gate[0] == null || gate[0].isLeader());
    AwsClients.Timeouts timeouts = AwsClients.Timeouts.forTick(settings.tickDeadline());
    AwsClients aws = new AwsClients(awsEndpoint, List.of(metrics.awsCalls()), timeouts);
    log.info(
        "[replica={}] AWS {}; calls end within {} ms ({} attempts)",
        options.identity(),
        awsEndpoint.map(e -> "at " + e).orElse("endpoints by region"),
        timeouts.call().toMillis(),
        timeouts.maxAttempts());
    DynamoDbControlStore store = DynamoDbControlStore.of(edge, aws);
    if (options.createControlTable() && store.createTableIfMissing()) {
      log.info("created control table {} in {}", edge.control().tableName(), edge.primaryRegion());
    }
    WorkloadActuator workloads;
    Optional<EksClusters> remote = Optional.empty();
    if (k8s.isPresent()) {
      ServiceClusters clusters;
      if (options.primaryClusterOnly()) {
        clusters = ServiceClusters.of(Map.of(edge.primaryRegion(), k8s.get()));
      } else {
        remote =
            Optional.of(
                new EksClusters(
                    edge,
                    k8s.get(),
                    EksClusters.describing(aws),
                    aws.credentials(),
                    awsEndpoint,
                    timeouts.connect(),
                    timeouts.call()));
        clusters = remote.get();
      }
      log.info(
          "Kubernetes API at {}: scaling the services of {}{}",
          k8s.get().getMasterUrl(),
          edge.primaryRegion(),
          options.primaryClusterOnly()
              ? " only (--primary-cluster-only)"
              : " here, and of every other region's EKS cluster at its API endpoint");
      workloads = new Fabric8WorkloadActuator(edge, clusters);
    } else {
      log.warn(
          "no Kubernetes API reachable: the chat, wallet and game services are skipped; relays, transcoders"
              + " and routing are still managed");
      workloads = new NoKubernetes();
    }
    ControlLoop loop = LiveControlLoop.create(edge, aws, workloads, Instant::now, options.dryRun());
    if (options.leaderElect()) {
      gate[0] =
          new LeaderGate(
              k8s.get(),
              settings.namespace(),
              options.identity(),
              settings.leaseDuration(),
              (gained, token) -> {
                metrics.leaderChanged(gained);
                listener.leadership(gained, token);
              });
    }
    Leadership leadership = gate[0] == null ? Leadership.SOLE : Leadership.of(gate[0]);
    LiveDriver driver =
        new LiveDriver(
            loop,
            options.dryRun(),
            leadership,
            settings.tickDeadline(),
            timeouts.call().plus(timeouts.connect()).plus(CLOCK_MARGIN),
            metrics,
            listener::ticked);
    return new Daemon(edge, options, metrics, aws, store, gate[0], leadership, driver, remote);
  }

  /** One tick now, whoever leads; a failure to write the audit record propagates. */
  public TickReport once() {
    return driver.once();
  }

  /** Serves /healthz, /readyz and /metrics, and schedules the control loop and the other jobs. */
  public void start() throws IOException, SchedulerException {
    http =
        new HealthServer(
            options.httpHost(),
            options.httpPort(),
            metrics,
            leadership,
            edge.scaling().tick().multipliedBy(3));
    log.info("/healthz, /readyz and /metrics on {}:{}", options.httpHost(), http.port());
    loop =
        ScheduledLoop.start(
            driver,
            edge.scaling().tick().toMillis(),
            scheduler -> {
              int events =
                  DaemonJobs.schedule(scheduler, edge, store, leadership::isLeader, Instant.now());
              log.info(
                  "scheduled: control loop every {}s, pre-warm for {} known events, housekeeping every {}",
                  edge.scaling().tick().toSeconds(),
                  events,
                  DaemonJobs.HOUSEKEEPING_EVERY);
            });
  }

  public boolean isLeader() {
    return leadership.isLeader();
  }

  /**
   * Starts no new tick, waits for the running one, gives the lease up, and closes the clients.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (loop != null) {
      loop.close();
    }
    if (gate != null) {
      gate.close();
    }
    if (http != null) {
      http.close();
    }
    remoteClusters.ifPresent(EksClusters::close);
    aws.close();
  }
}
