package dev.liffey.it.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.k8s.LeaderGate;
import dev.liffey.core.config.EdgeConfigLoader;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemon replicas elect a leader through the Lease on a real API server, each as the
 * ServiceAccount the CDK app deploys, under its synthesized RBAC; the leader is taken away again
 * and again, by a clean exit (the lease released) or a network partition (the lease left to expire
 * while the cut-off leader lives on, and must stand down in time).
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES) // a first build of the API server, then ~1 min
class LeaderElectionIT {
  private static final Duration LEASE = Duration.ofSeconds(4);
  private static final int HAND_OVERS = 6;
  // After a partition the lease lasts at most LEASE from the dead leader's last renewal; a follower
  // sees it expired at its next retry, every sixth of the lease with Fabric8's jitter (x 2.2).
  private static final Duration PARTITION_TAKEOVER =
      LEASE.plus(Duration.ofMillis(LEASE.dividedBy(6).toMillis() * 22 / 10)).plusMillis(100);

  @TempDir Path dir;

  /** A daemon replica: its lease, and its own network path to the API server. */
  record Replica(LeaderGate gate, KubernetesClient client, Partition network)
      implements AutoCloseable {
    @Override
    public void close() {
      gate.close();
      client.close();
      network.close();
    }
  }

  @Test
  void sixForcedHandOvers_neverTwoLeaders_andANewLeaderWithinTheLease() throws Exception {
    String namespace = namespace();
    try (KubeApiServer server = KubeApiServer.start(dir.resolve("kube"), Map.of());
        KubernetesClient admin = server.admin()) {
      SynthesizedManifests.of("eu-west-1")
          .apply(admin, Set.of("Namespace", "ServiceAccount", "Role", "RoleBinding"));
      List<Replica> replicas = new CopyOnWriteArrayList<>();
      // Cut-off replicas live on, and must see they lost the lease: watched too.
      List<Replica> cutOff = new CopyOnWriteArrayList<>();
      int[] started = {0};
      java.util.concurrent.Callable<Replica> start =
          () -> {
            Partition network = new Partition(server.port());
            KubernetesClient client =
                server.clientWithToken(
                    server.serviceAccountToken(namespace, "liffey-autoscaler"), network.port());
            return new Replica(
                new LeaderGate(client, namespace, "autoscaler-" + started[0]++, LEASE),
                client,
                network);
          };
      replicas.add(start.call());
      replicas.add(start.call());

      // Watches, every 5 ms, that no two live replicas lead at once.
      AtomicBoolean watching = new AtomicBoolean(true);
      List<String> overlaps = new CopyOnWriteArrayList<>();
      Thread watcher =
          new Thread(
              () -> {
                while (watching.get()) {
                  List<String> leaders =
                      java.util.stream.Stream.concat(replicas.stream(), cutOff.stream())
                          // A leader being cut off is briefly in both lists: count it once.
                          .distinct()
                          .filter(r -> r.gate().isLeader() || r.gate().holdsFor(Duration.ZERO))
                          .map(r -> r.gate().identity())
                          .toList();
                  if (leaders.size() > 1) {
                    overlaps.add(String.join(" and ", leaders));
                  }
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      watcher.start();
      List<String> handOvers = new ArrayList<>();
      try {
        await(() -> replicas.stream().anyMatch(r -> r.gate().isLeader()), LEASE.multipliedBy(3));
        long lastToken = -1;
        for (int i = 0; i < HAND_OVERS; i++) {
          Replica leader = replicas.stream().filter(r -> r.gate().isLeader()).findFirst().get();
          assertThat(leader.gate().token()).isGreaterThan(lastToken);
          lastToken = leader.gate().token();
          boolean partitioned = i % 2 == 1;
          long t0 = System.nanoTime();
          if (partitioned) {
            // A partition: nothing is released, and the leader, alive, must see that it no
            // longer holds the lease before anyone else may take it.
            leader.network().cut();
            cutOff.add(leader);
          } else {
            leader.close();
            // close() returns once the lease is given up (Fabric8 releases it by shortening it to
            // a second), so the pod's client may go right after.
            LeaseSpec lease =
                admin
                    .leases()
                    .inNamespace(namespace)
                    .withName(LeaderGate.LEASE_NAME)
                    .get()
                    .getSpec();
            assertThat(
                    leader.gate().identity().equals(lease.getHolderIdentity())
                        && lease.getLeaseDurationSeconds() > 1)
                .as(
                    "%s still holds a full lease after it closed: %s",
                    leader.gate().identity(), lease)
                .isFalse();
          }
          replicas.remove(leader);
          await(
              () -> replicas.stream().anyMatch(r -> r.gate().isLeader()),
              PARTITION_TAKEOVER.plus(LEASE));
          Duration took = Duration.ofNanos(System.nanoTime() - t0);
          handOvers.add((partitioned ? "partition" : "exit") + " " + took.toMillis() + " ms");
          assertThat(took)
              .as(
                  "a new leader within the lease after a %s",
                  partitioned ? "partition" : "clean exit")
              .isLessThanOrEqualTo(partitioned ? PARTITION_TAKEOVER : LEASE);
          replicas.add(start.call()); // the pod the Deployment starts in its place
        }
        Thread.sleep(LEASE.toMillis());
        assertThat(cutOff)
            .as("cut-off replicas that still believe they lead")
            .noneMatch(r -> r.gate().isLeader());
      } finally {
        watching.set(false);
        watcher.join(1000);
        replicas.forEach(Replica::close);
        cutOff.forEach(Replica::close);
      }
      System.out.println("[liffey-it] leader hand-overs on a real API server: " + handOvers);
      assertThat(overlaps).as("moments when two replicas led").isEmpty();
      assertThat(handOvers).hasSize(HAND_OVERS);
    }
  }

  @Test
  void aReplicaWhoseLeaseIsTaken_stopsLeading_campaignsAgain_andLeadsAgainWithANewerToken()
      throws Exception {
    String namespace = namespace();
    try (KubeApiServer server = KubeApiServer.start(dir.resolve("kube"), Map.of());
        KubernetesClient admin = server.admin()) {
      SynthesizedManifests.of("eu-west-1")
          .apply(admin, Set.of("Namespace", "ServiceAccount", "Role", "RoleBinding"));
      List<Boolean> changes = new CopyOnWriteArrayList<>();
      try (KubernetesClient client = server.clientAsServiceAccount(namespace, "liffey-autoscaler");
          LeaderGate a =
              new LeaderGate(
                  client,
                  namespace,
                  "autoscaler-a",
                  LEASE,
                  (gained, token) -> changes.add(gained))) {
        await(a::isLeader, LEASE.multipliedBy(3));
        long first = a.token();
        assertThat(a.holdsFor(LEASE.dividedBy(2))).isTrue();
        assertThat(a.holdsFor(LEASE))
            .as("no lease is held for its whole duration after a renewal")
            .isFalse();

        // Another replica takes the lease (after a missed renewal, or clock skew), then dies. Its
        // write races a's renewals, as a real one's would: on a conflict it reads the lease again.
        for (int attempt = 1; ; attempt++) {
          try {
            admin
                .leases()
                .inNamespace(namespace)
                .withName(LeaderGate.LEASE_NAME)
                .edit(
                    l ->
                        new LeaseBuilder(l)
                            .editSpec()
                            .withHolderIdentity("intruder")
                            .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
                            .withLeaseTransitions(l.getSpec().getLeaseTransitions() + 1)
                            .endSpec()
                            .build());
            break;
          } catch (KubernetesClientException e) {
            if (e.getCode() != 409 || attempt == 5) {
              throw e;
            }
          }
        }

        await(() -> !a.isLeader(), LEASE.multipliedBy(2));
        assertThat(a.holdsFor(Duration.ZERO)).isFalse();
        await(a::isLeader, LEASE.multipliedBy(4));

        assertThat(a.token()).isGreaterThan(first + 1);
        // The gate leads before it tells its listener so.
        await(() -> changes.size() == 3, LEASE);
        assertThat(changes).containsExactly(true, false, true);
        assertThat(a.reachesApiServer()).isTrue();
      }
    }
  }

  private static String namespace() throws Exception {
    return new EdgeConfigLoader()
        .load(Path.of("..", EdgeConfigLoader.DEFAULT_FILE))
        .config()
        .autoscaler()
        .namespace();
  }

  private static void await(BooleanSupplier condition, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within);
      }
      Thread.sleep(10);
    }
  }
}
