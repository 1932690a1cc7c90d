package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.TickReport;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.autoscaler.k8s.Fabric8WorkloadActuator;
import dev.liffey.autoscaler.k8s.KubernetesConnection;
import dev.liffey.autoscaler.k8s.LeaderGate;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import dev.liffey.autoscaler.sim.BundledTraces;
import dev.liffey.autoscaler.sim.InvalidTraceException;
import dev.liffey.autoscaler.sim.Policies;
import dev.liffey.autoscaler.sim.Scorecard;
import dev.liffey.autoscaler.sim.Simulation;
import dev.liffey.autoscaler.sim.Trace;
import dev.liffey.autoscaler.sim.TraceDemand;
import dev.liffey.autoscaler.sim.TraceParser;
import dev.liffey.core.config.Autoscaler;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import dev.liffey.core.config.InvalidConfigException;
import dev.liffey.core.config.LoadedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code liffey-autoscaler}: the daemon. It runs the control loop, scheduled by Quartz, against AWS
 * (CloudWatch, EC2 Auto Scaling, Route 53, the DynamoDB control table; {@code AWS_ENDPOINT_URL} for
 * an emulator), or with {@code --simulate} against the embedded simulator on an accelerated clock.
 * Exit codes: 0 ok, 1 failure, 2 invalid input.
 */
@Command(
    name = "liffey-autoscaler",
    mixinStandardHelpOptions = true,
    versionProvider = AutoscalerMain.Version.class,
    description = {
      "Liffey's autoscaler: sense, forecast, plan, guard, act, record, every tick.",
      "With --simulate it drives the real control loop against the embedded simulated cloud, logs each",
      "decision with its reasons, and prints the scorecard at the end."
    })
public final class AutoscalerMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger("liffey");
  static final String DEFAULT_TRACE = "bundled:viral-spike";
  /**
   * What the lease must have left beyond one call's longest run before a call starts: clocks on
   * EC2 agree to within milliseconds (Amazon Time Sync); a second covers a host that drifts.
   */
  static final java.time.Duration CLOCK_MARGIN = java.time.Duration.ofSeconds(1);

  @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:LIFFEY_CONFIG:-edge-regions.yaml}",
      description = "The configuration (default: $LIFFEY_CONFIG, else ./edge-regions.yaml).")
  Path config;

  @Option(names = "--simulate", arity = "0..1", paramLabel = "TRACE", fallbackValue = DEFAULT_TRACE,
      description = "Run against the simulated cloud, replaying TRACE (a CSV file or bundled:NAME; default: "
          + DEFAULT_TRACE + ").")
  String simulate;

  @Option(names = "--speed", paramLabel = "N", defaultValue = "200",
      description = "Simulated seconds per wall-clock second (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--policy", paramLabel = "NAME", defaultValue = "liffey",
      description = "The policy to run: liffey, target-tracking, static or oracle (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--start", paramLabel = "INSTANT", defaultValue = "2026-12-01T18:00:00Z",
      description = "Simulated time of the trace's first row (default: ${DEFAULT-VALUE}).")
  Instant start;

  @Option(names = "--once", description = "Run one tick and exit: 0 when it completed, even if it chose to do nothing.")
  boolean once;

  @Option(names = "--dry-run", description = "Decide and record in the audit log, but never act.")
  boolean dryRun;

  @Option(names = "--create-control-table",
      description = "Create the control table with the CDK app's schema when it is missing (emulators, first runs).")
  boolean createControlTable;

  @Option(names = "--leader-elect",
      description = "Elect a leader among replicas through a Kubernetes Lease; only the leader acts.")
  boolean leaderElect;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "Port of /healthz, /readyz and /metrics (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int httpPort;

  @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "0.0.0.0",
      description = "Address they listen on (default: ${DEFAULT-VALUE}, for the kubelet's probes).")
  String httpHost;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command, with failures reported in one line (exit 1) instead of a stack trace. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new AutoscalerMain());
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("liffey-autoscaler: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
      return 1;
    });
    return cli;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!(speed > 0)) {
      err.println("liffey-autoscaler: --speed must be above 0, got " + speed);
      return 2;
    }
    if (!Policies.NAMES.contains(policy)) {
      err.println("liffey-autoscaler: unknown policy '" + policy + "': use one of " + String.join(", ", Policies.NAMES));
      return 2;
    }
    LoadedConfig loaded;
    try {
      loaded = new EdgeConfigLoader().load(config);
    } catch (InvalidConfigException e) {
      e.problems().forEach(err::println);
      err.println(config + ": invalid, " + e.problems().size() + " problem(s); nothing was started");
      return 2;
    }
    loaded.warnings().forEach(w -> log.warn("{}", w));
    EdgeConfig edge = loaded.config();
    if (simulate == null) {
      return live(edge);
    }
    Trace trace;
    try {
      trace = simulate.startsWith("bundled:")
          ? BundledTraces.load(edge, simulate.substring("bundled:".length()))
          : new TraceParser(edge).parse(Path.of(simulate));
    } catch (InvalidTraceException e) {
      e.problems().forEach(err::println);
      return 2;
    } catch (IllegalArgumentException | IOException e) {
      err.println("liffey-autoscaler: " + e.getMessage());
      return 2;
    }

    log.info("config {}: {} regions {}, tick {}s, target utilization {}", config, edge.regions().size(),
        edge.regionIds(), edge.scaling().tick().toSeconds(), edge.scaling().targetUtilization());
    log.info("simulating {} ({} min) with policy {} at {}x", trace.name(), trace.length().toMinutes(), policy, speed);
    Simulation.Prepared run = new Simulation(edge, trace, start)
        .prepare(Policies.create(policy, edge, new TraceDemand(trace, start)));
    SimulationDriver driver = new SimulationDriver(run);
    runScheduled(driver, Math.max(1, Math.round(edge.scaling().tick().toMillis() / speed)), driver.finished(),
        scheduler -> { });
    Scorecard card = run.scorecard();
    spec.commandLine().getOut().println(scorecard(trace, card));
    return 0;
  }

  /** The daemon against AWS: one tick with --once, else every tick until SIGTERM. */
  private int live(EdgeConfig edge) throws Exception {
    AtomicReference<Leadership> leadership = new AtomicReference<>(Leadership.SOLE);
    DaemonMetrics metrics = new DaemonMetrics(() -> leadership.get().isLeader());
    Autoscaler settings = edge.autoscaler();
    AwsClients.Timeouts timeouts = AwsClients.Timeouts.forTick(settings.tickDeadline());
    try (AwsClients aws = AwsClients.fromEnvironment(List.of(metrics.awsCalls()), timeouts)) {
      log.info("config {}: {} regions {}, tick {}s (deadline {} ms); AWS {}{}", config, edge.regions().size(),
          edge.regionIds(), edge.scaling().tick().toSeconds(), settings.tickDeadline().toMillis(),
          aws.endpoint().map(e -> "at " + e).orElse("endpoints by region"),
          dryRun ? "; dry run: deciding and recording, never acting" : "");
      DynamoDbControlStore store = DynamoDbControlStore.of(edge, aws);
      if (createControlTable && store.createTableIfMissing()) {
        log.info("created control table {} in {}", edge.control().tableName(), edge.primaryRegion());
      }
      Optional<KubernetesClient> k8s = KubernetesConnection.connect();
      WorkloadActuator workloads;
      if (k8s.isPresent()) {
        log.info("Kubernetes API at {}: scaling the services of {}", k8s.get().getMasterUrl(), edge.primaryRegion());
        workloads = new Fabric8WorkloadActuator(edge, Map.of(edge.primaryRegion(), k8s.get()));
      } else {
        log.warn("no Kubernetes API reachable: the chat, wallet and game services are skipped; relays, transcoders"
            + " and routing are still managed");
        workloads = new NoKubernetes();
      }
      if (leaderElect && k8s.isEmpty()) {
        spec.commandLine().getErr().println("liffey-autoscaler: --leader-elect needs a Kubernetes API (in-cluster"
            + " or a kubeconfig); run without it for a single replica");
        return 2;
      }
      ControlLoop loop = LiveControlLoop.create(edge, aws, workloads, Instant::now, dryRun);
      try (LeaderGate gate = leaderElect ? new LeaderGate(k8s.get(), settings.namespace(), identity(),
          settings.leaseDuration(), metrics::leaderChanged) : null) {
        if (gate != null) {
          leadership.set(Leadership.of(gate));
        }
        LiveDriver driver = new LiveDriver(loop, dryRun, leadership.get(), settings.tickDeadline(),
            timeouts.call().plus(CLOCK_MARGIN), metrics);
        if (once) {
          TickReport r = driver.once();
          if (!r.complete()) {
            spec.commandLine().getErr().println("liffey-autoscaler: the tick could not read or do everything: "
                + String.join("; ", r.problems()));
            return 1;
          }
          return 0;
        }
        try (HealthServer http = new HealthServer(httpHost, httpPort, metrics, leadership.get(),
            edge.scaling().tick().multipliedBy(3))) {
          log.info("/healthz, /readyz and /metrics on {}:{}", httpHost, http.port());
          runScheduled(driver, edge.scaling().tick().toMillis(), new CountDownLatch(1), scheduler -> {
            int events = DaemonJobs.schedule(scheduler, edge, store, leadership.get()::isLeader, Instant.now());
            log.info("scheduled: control loop every {}s, pre-warm for {} known events, housekeeping every {}",
                edge.scaling().tick().toSeconds(), events, DaemonJobs.HOUSEKEEPING_EVERY);
          });
        }
        return 0;
      } finally {
        k8s.ifPresent(KubernetesClient::close);
      }
    }
  }

  /** This replica's name: the pod's on EKS, else the host's. */
  private static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "liffey-autoscaler-" + ProcessHandle.current().pid();
    }
  }

  /** More jobs on the daemon's scheduler, besides the control loop. */
  @FunctionalInterface
  interface MoreJobs {
    void schedule(Scheduler scheduler) throws SchedulerException;
  }

  /**
   * How long SIGTERM waits for the running tick to end and the scheduler to stop: below Kubernetes'
   * 30 s grace period, so the log, not SIGKILL, says a tick was cut short.
   */
  static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(25);

  /**
   * Runs {@code tick} on Quartz every {@code intervalMillis}, never two at once, until {@code done}
   * or SIGTERM; returns once the scheduler has stopped, after the running tick.
   */
  static void runScheduled(Tick tick, long intervalMillis, CountDownLatch done, MoreJobs more) throws Exception {
    runScheduled(tick, intervalMillis, done, more, SHUTDOWN_GRACE);
  }

  static void runScheduled(Tick tick, long intervalMillis, CountDownLatch done, MoreJobs more,
      java.time.Duration grace) throws Exception {
    Scheduler scheduler = scheduler();
    CountDownLatch stopped = new CountDownLatch(1);
    // The hook only asks: this thread alone shuts the scheduler down (two Quartz shutdowns at once do
    // not wait for each other), and the hook waits for it, so the JVM does not halt mid-tick.
    Thread hook = new Thread(() -> {
      log.info("stopping the scheduler; waiting up to {}s for a running tick", grace.toSeconds());
      done.countDown();
      try {
        if (!stopped.await(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          log.warn("a tick was still running after {}s; exiting without waiting for it", grace.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "liffey-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      scheduler.getContext().put(ControlLoopJob.DRIVER, tick);
      scheduler.scheduleJob(
          JobBuilder.newJob(ControlLoopJob.class).withIdentity("control-loop").build(),
          TriggerBuilder.newTrigger().withIdentity("control-loop").startNow()
              .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(intervalMillis)
                  .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
              .build());
      more.schedule(scheduler);
      scheduler.start();
      done.await();
    } finally {
      try {
        shutdown(scheduler);
      } finally {
        stopped.countDown();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
  }

  private static Scheduler scheduler() throws SchedulerException {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "liffey-autoscaler");
    // Not Quartz's SimpleThreadPool: its shutdown(true) can wait for ever for a job it lost (see the class).
    p.setProperty("org.quartz.threadPool.class", ExecutorThreadPool.class.getName());
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return new StdSchedulerFactory(p).getScheduler();
  }

  private static void shutdown(Scheduler scheduler) {
    try {
      if (!scheduler.isShutdown()) {
        scheduler.shutdown(true);
      }
    } catch (SchedulerException e) {
      log.warn("scheduler did not shut down cleanly: {}", e.getMessage());
    }
  }

  static String scorecard(Trace trace, Scorecard c) {
    return String.format(Locale.ROOT, "%nscorecard %s, policy %s:%n"
            + "  unservedViewerSeconds %,.0f%n  servedViewerSeconds   %,.0f%n  slowViewerSeconds     %,.0f%n"
            + "  costUsd               %.2f%n  scalingActions        %d%n  peakViewers           %,.0f%n"
            + "  p95LatencyMillis      %.0f%n  unservedStreamSeconds %,.0f",
        trace.name(), c.policy(), c.unservedViewerSeconds(), c.servedViewerSeconds(), c.slowViewerSeconds(),
        c.costUsd(), c.scalingActions(), c.peakViewers(), c.p95LatencyMillis(), c.unservedStreamSeconds());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      // The jar's manifest, or the image's -Dliffey.version (Jib runs classes, not the jar).
      String v = System.getProperty("liffey.version", AutoscalerMain.class.getPackage().getImplementationVersion());
      return new String[] {"liffey-autoscaler " + (v == null ? "(development build)" : v)};
    }
  }
}
