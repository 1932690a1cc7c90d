package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.engine.TickReport;
import dev.liffey.autoscaler.k8s.KubernetesConnection;
import dev.liffey.autoscaler.sim.InvalidTraceException;
import dev.liffey.autoscaler.sim.Policies;
import dev.liffey.autoscaler.sim.Scorecard;
import dev.liffey.autoscaler.sim.Simulation;
import dev.liffey.autoscaler.sim.Trace;
import dev.liffey.autoscaler.sim.TraceDemand;
import dev.liffey.autoscaler.sim.TraceSource;
import dev.liffey.core.config.ConfigReport;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.LoadedConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "${env:LIFFEY_CONFIG:-edge-regions.yaml}",
      description = "The configuration (default: $LIFFEY_CONFIG, else ./edge-regions.yaml).")
  Path config;

  @Option(
      names = "--simulate",
      arity = "0..1",
      paramLabel = "TRACE",
      fallbackValue = DEFAULT_TRACE,
      description =
          "Run against the simulated cloud, replaying TRACE (a CSV file or bundled:NAME; default: "
              + DEFAULT_TRACE
              + ").")
  String simulate;

  @Option(
      names = "--speed",
      paramLabel = "N",
      defaultValue = "200",
      description = "Simulated seconds per wall-clock second (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--policy",
      paramLabel = "NAME",
      defaultValue = "liffey",
      description =
          "The policy to run: liffey, target-tracking, target-tracking-10s, step-scaling, predictive,"
              + " static, oracle, oracle-at-target, oracle-reactive or liffey-fixed-routing (default:"
              + " ${DEFAULT-VALUE}).")
  String policy;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      defaultValue = "2026-12-01T18:00:00Z",
      description = "Simulated time of the trace's first row (default: ${DEFAULT-VALUE}).")
  Instant start;

  @Option(
      names = "--once",
      description = "Run one tick and exit: 0 when it completed, even if it chose to do nothing.")
  boolean once;

  @Option(names = "--dry-run", description = "Decide and record in the audit log, but never act.")
  boolean dryRun;

  @Option(
      names = "--create-control-table",
      description =
          "Create the control table with the CDK app's schema when it is missing (emulators, first runs).")
  boolean createControlTable;

  @Option(
      names = "--leader-elect",
      description =
          "Elect a leader among replicas through a Kubernetes Lease; only the leader acts.")
  boolean leaderElect;

  @Option(
      names = "--primary-cluster-only",
      description =
          "Scale the services of the cluster the daemon runs beside only, not the other regions'"
              + " EKS clusters (reached by their API endpoints with an EKS token from the daemon's"
              + " IAM role).")
  boolean primaryClusterOnly;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description =
          "Port of /healthz, /readyz and /metrics (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int httpPort;

  @Option(
      names = "--http-host",
      paramLabel = "HOST",
      defaultValue = "0.0.0.0",
      description = "Address they listen on (default: ${DEFAULT-VALUE}, for the kubelet's probes).")
  String httpHost;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command, with failures reported in one line (exit 1) instead of a stack trace. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new AutoscalerMain());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println(
                  "liffey-autoscaler: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
          return 1;
        });
    return cli;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    String format = System.getenv(LogFormat.VARIABLE);
    if (LogFormat.of(format).isEmpty()) {
      err.println(
          "liffey-autoscaler: "
              + LogFormat.VARIABLE
              + "="
              + format
              + " is not a log format: use text (the"
              + " default, for people) or json (one object a line, for a log pipeline)");
      return 2;
    }
    if (!(speed > 0)) {
      err.println("liffey-autoscaler: --speed must be above 0, got " + speed);
      return 2;
    }
    if (!Policies.NAMES.contains(policy)) {
      err.println(
          "liffey-autoscaler: unknown policy '"
              + policy
              + "': use one of "
              + String.join(", ", Policies.NAMES));
      return 2;
    }
    Optional<LoadedConfig> loaded = ConfigReport.load(config, err, "nothing was started");
    if (loaded.isEmpty()) {
      return 2;
    }
    EdgeConfig edge = loaded.get().config();
    if (simulate == null) {
      return live(edge);
    }
    Trace trace;
    try {
      List<Trace> traces = TraceSource.resolve(edge, simulate);
      if (traces.size() != 1) {
        err.println(
            "liffey-autoscaler: --simulate replays one trace; "
                + simulate
                + " names "
                + traces.size()
                + " (liffey simulate --trace "
                + simulate
                + " scores them all)");
        return 2;
      }
      trace = traces.get(0);
    } catch (InvalidTraceException e) {
      e.problems().forEach(err::println);
      return 2;
    } catch (IllegalArgumentException | IOException e) {
      err.println("liffey-autoscaler: " + e.getMessage());
      return 2;
    }

    log.info(
        "config {}: {} regions {}, tick {}s, target utilization {}",
        config,
        edge.regions().size(),
        edge.regionIds(),
        edge.scaling().tick().toSeconds(),
        edge.scaling().targetUtilization());
    log.info(
        "simulating {} ({} min) with policy {} at {}x",
        trace.name(),
        trace.length().toMinutes(),
        policy,
        speed);
    Simulation.Prepared run =
        new Simulation(edge, trace, start)
            .prepare(() -> Policies.create(policy, edge, new TraceDemand(trace, start)));
    SimulationDriver driver = new SimulationDriver(run);
    runScheduled(
        driver,
        Math.max(1, Math.round(edge.scaling().tick().toMillis() / speed)),
        driver.finished(),
        scheduler -> {},
        SHUTDOWN_GRACE);
    Scorecard card = run.scorecard();
    spec.commandLine().getOut().println(scorecard(trace, card));
    return 0;
  }

  /** The daemon against AWS: one tick with --once, else every tick until SIGTERM. */
  private int live(EdgeConfig edge) throws Exception {
    AwsClients.Timeouts calls = AwsClients.Timeouts.forTick(edge.autoscaler().tickDeadline());
    Optional<KubernetesClient> k8s = KubernetesConnection.connect(calls.connect(), calls.call());
    try {
      if (leaderElect && k8s.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "liffey-autoscaler: --leader-elect needs a Kubernetes API (in-cluster"
                    + " or a kubeconfig); run without it for a single replica");
        return 2;
      }
      log.info(
          "config {}: {} regions {}, tick {}s (deadline {} ms){}",
          config,
          edge.regions().size(),
          edge.regionIds(),
          edge.scaling().tick().toSeconds(),
          edge.autoscaler().tickDeadline().toMillis(),
          dryRun ? "; dry run: deciding and recording, never acting" : "");
      Daemon.Options options =
          new Daemon.Options(
              dryRun,
              leaderElect,
              identity(),
              httpHost,
              httpPort,
              createControlTable,
              primaryClusterOnly);
      try (Daemon daemon =
          Daemon.create(
              edge, AwsClients.endpointFromEnvironment(), k8s, options, new Daemon.Listener() {})) {
        if (once) {
          TickReport r = daemon.once();
          if (!r.complete()) {
            spec.commandLine()
                .getErr()
                .println(
                    "liffey-autoscaler: the tick could not read or do everything: "
                        + String.join("; ", r.problems()));
            return 1;
          }
          return 0;
        }
        daemon.start();
        untilStopped(new CountDownLatch(1), SHUTDOWN_GRACE, daemon::close);
        return 0;
      }
    } finally {
      k8s.ifPresent(KubernetesClient::close);
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

  /**
   * How long SIGTERM waits for the running tick to end and the scheduler to stop: below Kubernetes'
   * 30 s grace period, so the log, not SIGKILL, says a tick was cut short.
   */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);

  /**
   * Runs {@code tick} on Quartz every {@code intervalMillis}, never two at once, until {@code done}
   * or SIGTERM; returns once the scheduler has stopped, after the running tick.
   */
  static void runScheduled(
      Tick tick,
      long intervalMillis,
      CountDownLatch done,
      ScheduledLoop.MoreJobs more,
      Duration grace)
      throws Exception {
    ScheduledLoop loop = ScheduledLoop.start(tick, intervalMillis, more);
    untilStopped(done, grace, loop::close);
  }

  /**
   * Blocks until {@code done} or SIGTERM, then runs {@code stop} on this thread. SIGTERM waits for
   * it at most {@code grace}: the hook only asks, this thread alone stops (two Quartz shutdowns at
   * once do not wait for each other), so the JVM does not halt mid-tick.
   */
  static void untilStopped(CountDownLatch done, Duration grace, Runnable stop)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              log.info(
                  "stopping the scheduler; waiting up to {}s for a running tick",
                  grace.toSeconds());
              done.countDown();
              try {
                if (!stopped.await(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                  log.warn(
                      "a tick was still running after {}s; exiting without waiting for it",
                      grace.toSeconds());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "liffey-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      done.await();
    } finally {
      try {
        stop.run();
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

  static String scorecard(Trace trace, Scorecard c) {
    return String.format(
        Locale.ROOT,
        "%nscorecard %s, policy %s:%n"
            + "  unservedViewerSeconds %,.0f%n  servedViewerSeconds   %,.0f%n  slowViewerSeconds     %,.0f%n"
            + "  costUsd               %.2f%n  egressUsd             %.2f%n  scalingActions        %d%n"
            + "  peakViewers           %,.0f%n  p95LatencyMillis      %.0f%n  unservedStreamSeconds %,.0f%n"
            + "  degradedStreamSeconds %,.0f%n  botCapacityInstanceHours %.2f",
        trace.name(),
        c.policy(),
        c.unservedViewerSeconds(),
        c.servedViewerSeconds(),
        c.slowViewerSeconds(),
        c.costUsd(),
        c.egressUsd(),
        c.scalingActions(),
        c.peakViewers(),
        c.p95LatencyMillis(),
        c.unservedStreamSeconds(),
        c.degradedStreamSeconds(),
        c.botCapacityInstanceHours());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      // The jar's manifest, or the image's -Dliffey.version (Jib runs classes, not the jar).
      String v =
          System.getProperty(
              "liffey.version", AutoscalerMain.class.getPackage().getImplementationVersion());
      return new String[] {"liffey-autoscaler " + (v == null ? "(development build)" : v)};
    }
  }
}
