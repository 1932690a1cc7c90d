package dev.liffey.autoscaler.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class LeaderGateMockTest {
  private static final Duration LEASE = Duration.ofSeconds(3);
  KubernetesClient client;

  private static void await(BooleanSupplier condition, Duration within)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + within);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void twoReplicasNeverLeadTogether_andTheFollowerTakesOverWhenTheLeaderGoes() throws Exception {
    try (LeaderGate a = new LeaderGate(client, "liffey-system", "autoscaler-a", LEASE);
        LeaderGate b = new LeaderGate(client, "liffey-system", "autoscaler-b", LEASE)) {
      await(() -> a.isLeader() || b.isLeader(), LEASE.multipliedBy(3));
      Instant end = Instant.now().plus(LEASE.multipliedBy(2));
      while (Instant.now().isBefore(end)) {
        assertThat(a.isLeader() && b.isLeader()).as("both lead").isFalse();
        Thread.sleep(20);
      }
      LeaderGate leader = a.isLeader() ? a : b;
      LeaderGate follower = leader == a ? b : a;

      leader.close();

      await(follower::isLeader, LEASE.multipliedBy(2));
      assertThat(leader.isLeader()).isFalse();
      assertThat(
              client
                  .leases()
                  .inNamespace("liffey-system")
                  .withName(LeaderGate.LEASE_NAME)
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo(follower.identity());
    }
  }

  @Test
  void aReplicaWhoseLeaseIsTaken_stopsLeading_campaignsAgain_andLeadsAgainWithANewerToken()
      throws Exception {
    List<Boolean> changes = new CopyOnWriteArrayList<>();
    try (LeaderGate a =
        new LeaderGate(
            client,
            "liffey-system",
            "autoscaler-a",
            LEASE,
            (gained, token) -> changes.add(gained))) {
      await(a::isLeader, LEASE.multipliedBy(3));
      long first = a.token();
      assertThat(a.holdsFor(LEASE.dividedBy(2))).isTrue();
      assertThat(a.holdsFor(LEASE))
          .as("no lease is held for its whole duration after a renewal")
          .isFalse();

      // Another replica takes the lease (as after a missed renewal, or clock skew), then dies. Its
      // write races a's renewals, as a real one's would: on a conflict it reads the lease again.
      for (int attempt = 1; ; attempt++) {
        try {
          client
              .leases()
              .inNamespace("liffey-system")
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
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (e.getCode() != 409 || attempt == 5) {
            throw e;
          }
        }
      }

      await(() -> !a.isLeader(), LEASE.multipliedBy(2));
      assertThat(a.holdsFor(Duration.ZERO)).isFalse();
      await(a::isLeader, LEASE.multipliedBy(4));

      assertThat(a.token()).isGreaterThan(first + 1);
      assertThat(changes).containsExactly(true, false, true);
      assertThat(a.reachesApiServer()).isTrue();
    }
  }
}
