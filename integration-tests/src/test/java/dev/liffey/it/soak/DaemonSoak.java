package dev.liffey.it.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.daemon.Daemon;
import dev.liffey.autoscaler.engine.Actuation;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.TickReport;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import dev.liffey.it.emulator.FaultProxy;
import dev.liffey.it.kube.KubeApiServer;
import dev.liffey.it.kube.Partition;
import dev.liffey.it.kube.ServiceScalingIT;
import dev.liffey.it.kube.SynthesizedManifests;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two daemon replicas with leader election, against the AWS emulator behind fault-injecting proxies
 * and a real Kubernetes API server (RBAC on, the synthesized RBAC applied, each replica as the
 * daemon's ServiceAccount) behind TCP proxies of their own that can be cut, for at least {@link
 * #TICKS} leader ticks on an accelerated clock: random throttling, 5xx, timeouts, calls slower than
 * the tick deadline, Route 53 down for a stretch, a malformed control row, and a forced lease loss
 * every {@link #LOSS_EVERY} ticks (the leader's Kubernetes API goes silent until it stops leading).
 * Checked at the end, from what the proxies saw and the daemons reported: no actuation without an
 * earlier audit record; no actuation by a replica without the lease, and no fencing token going
 * backwards; no scale-in decided on data that was not read; a new leader within the lease duration
 * after every loss; desired capacity on plan within 3 ticks after the faults stop. Opt-in: {@code
 * mvn -B verify -Psoak -pl integration-tests -am}; writes {@code
 * integration-tests/target/soak-report.md}.
 */
class DaemonSoak extends EmulatorTest {
  static final int TICKS = Integer.getInteger("liffey.soak.ticks", 500);
  static final int LOSS_EVERY = 25;
  static final Duration LEASE = Duration.ofSeconds(4);
  static final long SEED = Long.getLong("liffey.soak.seed", 20261130L);

  @TempDir Path dir;

  private final List<Leadership> leadership = new CopyOnWriteArrayList<>();
  private final AtomicInteger leaderTicks = new AtomicInteger();
  private final Map<String, AtomicInteger> ticksBy = new HashMap<>();
  private final List<String> blindScaleIns = new CopyOnWriteArrayList<>();
  private final List<TickReport> afterFaults = new CopyOnWriteArrayList<>();
  private final List<Boolean> onPlan = new CopyOnWriteArrayList<>();
  private final List<Integer> forcedLosses = new CopyOnWriteArrayList<>();
  private volatile boolean faultsStopped;

  /** One gain or loss of the lease by a replica. */
  record Leadership(String replica, boolean gained, long token, long atNanos) {}

  @Test
  @Timeout(value = 45, unit = TimeUnit.MINUTES)
  void twoReplicasThroughFaultsAndLeaseLosses_neverActUnrecordedUnfencedOrBlind() throws Exception {
    EmulatedEdge edge =
        EmulatedEdge.deploy(
            aws,
            emulator.endpoint(),
            dir,
            yaml ->
                yaml.replace("tickSeconds: 10", "tickSeconds: 1")
                    .replace("scaleInStabilizationSeconds: 300", "scaleInStabilizationSeconds: 30")
                    .replace(
                        "  namespace: liffey-system",
                        "  namespace: liffey-system\n  leaseSeconds: " + LEASE.toSeconds()));
    EdgeConfig config = edge.config;
    DynamoDbControlStore.of(config, aws).createTableIfMissing();
    putMalformedRow(config);

    AwsClients.Timeouts timeouts = AwsClients.Timeouts.forTick(config.autoscaler().tickDeadline());
    Map<String, AtomicLong> injected = SoakFaults.counters();
    AwsLedger ledger = new AwsLedger();
    List<String> names = List.of("replica-a", "replica-b");
    List<SoakFaults> faults = new ArrayList<>();
    List<FaultProxy> proxies = new ArrayList<>();
    Map<String, Partition> k8sPaths = new java.util.concurrent.ConcurrentHashMap<>();
    KubeApiServer server = KubeApiServer.start(dir.resolve("kube"), Map.of());
    try (KubernetesClient admin = server.admin()) {
      SynthesizedManifests.of(config.primaryRegion()).apply(admin, ServiceScalingIT.FENCES);
    }
    List<Daemon> daemons = new ArrayList<>();
    List<KubernetesClient> k8s = new ArrayList<>();
    ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    Instant start = Instant.now();
    long startNanos = System.nanoTime();
    try {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        ticksBy.put(name, new AtomicInteger());
        SoakFaults f =
            new SoakFaults(
                SEED + i,
                timeouts.attempt().toMillis(),
                config.autoscaler().tickDeadline().toMillis(),
                injected);
        faults.add(f);
        FaultProxy awsProxy = new FaultProxy(emulator.endpoint(), f);
        awsProxy.observe(ledger.of(name));
        Partition k8sPath = new Partition(server.port());
        k8sPaths.put(name, k8sPath);
        proxies.add(awsProxy);
        // Calls that fit the accelerated tick, as the daemon's own connection's do.
        KubernetesClient replicaK8s =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(
                            server.config(
                                server.serviceAccountToken(
                                    config.autoscaler().namespace(), "liffey-autoscaler"),
                                k8sPath.port()))
                        .withRequestTimeout(1_000)
                        .withConnectionTimeout(1_000)
                        .build())
                .build();
        k8s.add(replicaK8s);
        Daemon d =
            Daemon.create(
                config,
                Optional.of(awsProxy.endpoint()),
                Optional.of(replicaK8s),
                new Daemon.Options(false, true, name, "127.0.0.1", 0, false, true),
                new Daemon.Listener() {
                  @Override
                  public void ticked(TickReport r) {
                    onTick(name, r, config, edge);
                  }

                  @Override
                  public void leadership(boolean gained, long token) {
                    leadership.add(new Leadership(name, gained, token, System.nanoTime()));
                  }
                });
        daemons.add(d);
      }
      // As a relay's agent publishes: once a metrics period, stamped at its start. (Every second,
      // each period's Sum was ten times the audience, and the fleets sat at their ceilings.)
      AtomicReference<Instant> published = new AtomicReference<>();
      publisher.scheduleAtFixedRate(
          () -> {
            Instant now = Instant.now();
            Instant periodStart = Metrics.periodStart(now);
            if (!periodStart.equals(published.getAndSet(periodStart))) {
              publish(edge, periodStart, Duration.between(start, now));
            }
          },
          0,
          1,
          TimeUnit.SECONDS);
      for (Daemon d : daemons) {
        d.start();
      }

      int nextLoss = LOSS_EVERY;
      while (leaderTicks.get() < TICKS) {
        int t = leaderTicks.get();
        boolean down = t >= TICKS * 3 / 10 && t < TICKS * 3 / 10 + 60;
        faults.forEach(f -> f.route53Down = down);
        if (t >= nextLoss) {
          forcedLosses.add(t);
          forceLeaseLoss(daemons, names, k8sPaths);
          // Every LOSS_EVERY ticks from the last loss forced, however long its hand-over took.
          nextLoss = t + LOSS_EVERY;
        }
        Thread.sleep(100);
      }
      // The faults stop: healthy AWS, the bad row gone; the leader must be on plan within 3 ticks.
      faults.forEach(f -> f.healthy = true);
      aws.dynamoDb(config.primaryRegion())
          .deleteItem(
              b ->
                  b.tableName(config.control().tableName())
                      .key(Map.of("pk", s("control"), "sk", s("floor#eu-west-1"))));
      faultsStopped = true;
      long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (afterFaults.size() < 3 && System.nanoTime() < until) {
        Thread.sleep(100);
      }
    } finally {
      publisher.shutdownNow();
      for (Daemon d : daemons) {
        d.close();
      }
      k8s.forEach(KubernetesClient::close);
      proxies.forEach(FaultProxy::close);
      k8sPaths.values().forEach(Partition::close);
      server.close();
    }

    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    List<AwsLedger.Event> unaudited = ledger.unaudited();
    List<AwsLedger.Event> unfenced = actuationsWithoutTheLease(ledger);
    List<AwsLedger.Event> backwards = ledger.tokensBackwards();
    List<Duration> gaps = handOverGaps();
    long actuations =
        ledger.events().stream()
            .filter(e -> e.kind() == AwsLedger.Kind.ACTUATION && e.succeeded())
            .count();
    int firstOnPlan = onPlan.indexOf(true) + 1;
    String report =
        report(
            took,
            injected,
            actuations,
            unaudited,
            unfenced,
            backwards,
            gaps,
            firstOnPlan,
            ledger.refusedFencedWrites());
    Files.writeString(Path.of("target", "soak-report.md"), report);
    System.err.println(report);

    assertThat(leaderTicks.get()).isGreaterThanOrEqualTo(TICKS);
    assertThat(actuations).as("the soak made the daemons act").isGreaterThan(50);
    assertThat(unaudited).as("actuations without an earlier audit record").isEmpty();
    assertThat(unfenced).as("actuations by a replica without the lease").isEmpty();
    assertThat(backwards).as("fencing tokens going backwards").isEmpty();
    assertThat(blindScaleIns).as("scale-ins decided on data that was not read").isEmpty();
    assertThat(mostTicksWithoutALoss())
        .as("ticks between forced lease losses")
        .isLessThanOrEqualTo(30);
    assertThat(gaps)
        .as("losses of the lease")
        .hasSizeGreaterThanOrEqualTo(forcedLosses.size())
        .allSatisfy(g -> assertThat(g).isLessThanOrEqualTo(LEASE));
    assertThat(handOvers())
        .as("hand-overs to the other replica")
        .isGreaterThanOrEqualTo(forcedLosses.size());
    assertThat(firstOnPlan)
        .as("ticks after the faults stop until desired capacity is on plan")
        .isBetween(1, 3);
  }

  private static AttributeValue s(String v) {
    return AttributeValue.builder().s(v).build();
  }

  private void putMalformedRow(EdgeConfig config) {
    aws.dynamoDb(config.primaryRegion())
        .putItem(
            b ->
                b.tableName(config.control().tableName())
                    .item(
                        Map.of(
                            "pk",
                            s("control"),
                            "sk",
                            s("floor#eu-west-1"),
                            "capacity",
                            AttributeValue.builder().n("40").build())));
  }

  /** Demand with a daily-like swell, spikes, and a Dublin latency incident now and then. */
  private static void publish(EmulatedEdge edge, Instant at, Duration since) {
    double t = since.toMillis() / 1000.0;
    double ie = 20_000 + 12_000 * Math.sin(2 * Math.PI * t / 90) + (t % 100 < 20 ? 25_000 : 0);
    double gb = 8_000 + 4_000 * Math.sin(2 * Math.PI * t / 70);
    double de = 3_000 + 2_000 * Math.cos(2 * Math.PI * t / 110);
    double dublinLatency = t % 200 >= 120 && t % 200 < 160 ? 400 : 30;
    try {
      edge.publish(
          at,
          Map.of(
              "IE@eu-west-1",
              ie * 200 / 255,
              "IE@eu-west-2",
              ie * 55 / 255,
              "GB@eu-west-2",
              gb,
              "DE@eu-central-1",
              de),
          Map.of("IE@eu-west-1", dublinLatency),
          Map.of());
    } catch (RuntimeException e) {
      System.err.println("[soak] publishing failed once: " + e.getMessage());
    }
  }

  private void onTick(String replica, TickReport r, EdgeConfig config, EmulatedEdge edge) {
    leaderTicks.incrementAndGet();
    ticksBy.get(replica).incrementAndGet();
    for (Actuation a : r.done()) {
      if (a.toDesired() >= a.fromDesired() || a.fleet().kind() == FleetKind.SERVICE) {
        continue;
      }
      // A region scales in on its own counts (since stop 54: another region of its markets
      // unread no longer holds it).
      String region = a.fleet().region();
      List<String> blind = new ArrayList<>();
      r.unread().stream()
          .filter(u -> u.startsWith("metrics") && u.contains(region))
          .forEach(blind::add);
      r.refusedMetrics().stream().filter(u -> u.contains(region)).forEach(blind::add);
      r.controlProblems().stream()
          .filter(p -> p.startsWith("control table: acting on") || p.contains("never read"))
          .forEach(blind::add);
      r.unread().stream().filter(u -> u.startsWith("control table")).forEach(blind::add);
      if (!blind.isEmpty()) {
        blindScaleIns.add(
            replica + ": " + a.describe(false) + " from " + a.fromDesired() + " on " + blind);
      }
    }
    if (faultsStopped && afterFaults.size() < 3) {
      afterFaults.add(r);
      boolean matches = r.failed().isEmpty() && r.abandoned().isEmpty();
      for (FleetPlan p : r.decision().fleets()) {
        if (p.fleet().kind() == FleetKind.RELAY) {
          matches &=
              edge.relayDesired(p.fleet().region()) == p.target()
                  && edge.relayWarmPool(p.fleet().region()) == p.warmPool();
        }
      }
      onPlan.add(matches);
    }
  }

  /**
   * The leader's Kubernetes API goes silent until another replica leads (or three leases pass);
   * then it answers again. The leader misses its renewals, stops leading at the renew deadline, and
   * the standby takes the lease once it has lapsed.
   */
  private void forceLeaseLoss(
      List<Daemon> daemons, List<String> names, Map<String, Partition> k8sPaths)
      throws InterruptedException {
    for (int i = 0; i < daemons.size(); i++) {
      if (daemons.get(i).isLeader()) {
        k8sPaths.get(names.get(i)).cut();
        long until = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
        int leader = i;
        while (System.nanoTime() < until
            && java.util.stream.IntStream.range(0, daemons.size())
                .noneMatch(j -> j != leader && daemons.get(j).isLeader())) {
          Thread.sleep(20);
        }
        k8sPaths.get(names.get(i)).heal();
        return;
      }
    }
  }

  /**
   * Successful actuations made while their replica did not hold the lease, or while another did.
   */
  private List<AwsLedger.Event> actuationsWithoutTheLease(AwsLedger ledger) {
    List<AwsLedger.Event> out = new ArrayList<>();
    for (AwsLedger.Event a : ledger.events()) {
      if (a.kind() != AwsLedger.Kind.ACTUATION || !a.succeeded()) {
        continue;
      }
      boolean own = leads(a.replica(), a.startNanos());
      boolean other =
          leadership.stream()
              .map(Leadership::replica)
              .distinct()
              .anyMatch(r -> !r.equals(a.replica()) && leads(r, a.startNanos()));
      if (!own || other) {
        out.add(a);
      }
    }
    return out;
  }

  /** Whether {@code replica}'s last change of leadership before {@code at} was a gain. */
  private boolean leads(String replica, long at) {
    Leadership last = null;
    for (Leadership l : leadership) {
      if (l.replica().equals(replica) && l.atNanos() <= at) {
        last = l;
      }
    }
    return last != null && last.gained();
  }

  /** The most leader ticks from the start, or a forced loss, to the next forced loss or the end. */
  private int mostTicksWithoutALoss() {
    int most = 0;
    int last = 0;
    for (int at : forcedLosses) {
      most = Math.max(most, at - last);
      last = at;
    }
    return Math.max(most, TICKS - last);
  }

  /** Gains of the lease by a replica other than the one that led before. */
  private long handOvers() {
    long n = 0;
    String last = null;
    for (Leadership l : leadership) {
      if (l.gained()) {
        if (last != null && !last.equals(l.replica())) {
          n++;
        }
        last = l.replica();
      }
    }
    return n;
  }

  /** For every loss of the lease, how long until some replica led again. */
  private List<Duration> handOverGaps() {
    List<Duration> gaps = new ArrayList<>();
    for (Leadership lost : leadership) {
      if (lost.gained()) {
        continue;
      }
      leadership.stream()
          .filter(l -> l.gained() && l.atNanos() >= lost.atNanos())
          .findFirst()
          .ifPresent(g -> gaps.add(Duration.ofNanos(g.atNanos() - lost.atNanos())));
    }
    return gaps;
  }

  private String report(
      Duration took,
      Map<String, AtomicLong> injected,
      long actuations,
      List<AwsLedger.Event> unaudited,
      List<AwsLedger.Event> unfenced,
      List<AwsLedger.Event> backwards,
      List<Duration> gaps,
      int firstOnPlan,
      long refused) {
    StringBuilder b = new StringBuilder();
    b.append("# Daemon soak (seed ").append(SEED).append(")\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "- %d leader ticks in %d s (%s), tick 1 s, lease %d s%n",
            leaderTicks.get(),
            took.toSeconds(),
            ticksBy.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().get())
                .collect(Collectors.joining(", ")),
            LEASE.toSeconds()));
    b.append("- faults injected: ")
        .append(SoakFaults.snapshot(injected))
        .append(", a malformed control row,")
        .append(' ')
        .append(forcedLosses.size())
        .append(" forced lease losses (at most ")
        .append(mostTicksWithoutALoss())
        .append(" ticks apart)\n");
    long gains = leadership.stream().filter(Leadership::gained).count();
    b.append(
        String.format(
            Locale.ROOT,
            "- leadership gained %d times, %d of them by the other replica (hand-overs);"
                + " %d losses, the longest wait for a new leader after one %d ms (lease %d ms)%n",
            gains,
            handOvers(),
            gaps.size(),
            gaps.stream().mapToLong(Duration::toMillis).max().orElse(0),
            LEASE.toMillis()));
    b.append("- actuations made: ")
        .append(actuations)
        .append("; token-carrying writes the table refused: ")
        .append(refused)
        .append('\n');
    b.append("- actuations without an earlier audit record: ")
        .append(unaudited.size())
        .append('\n');
    b.append("- actuations by a replica without the lease: ")
        .append(unfenced.size())
        .append("; fencing tokens going backwards: ")
        .append(backwards.size())
        .append('\n');
    b.append("- scale-ins decided on data that was not read: ")
        .append(blindScaleIns.size())
        .append('\n');
    b.append("- ticks after the faults stopped until desired capacity was on plan: ")
        .append(firstOnPlan)
        .append(" (of ")
        .append(onPlan)
        .append(")\n");
    unaudited.stream().limit(5).forEach(e -> b.append("  - unaudited: ").append(e).append('\n'));
    unfenced.stream().limit(5).forEach(e -> b.append("  - unfenced: ").append(e).append('\n'));
    blindScaleIns.stream().limit(5).forEach(e -> b.append("  - blind: ").append(e).append('\n'));
    return b.toString();
  }
}
