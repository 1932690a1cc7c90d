package dev.liffey.autoscaler.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through a Kubernetes Lease (Fabric8 {@code LeaderElector}): of the replicas running,
 * one leads and only it acts; when it dies, a follower takes over within the lease duration.
 * {@link #isLeader()} is what the control loop checks before each tick. Thread-safe.
 */
public final class LeaderGate implements AutoCloseable {
  public static final String LEASE_NAME = "liffey-autoscaler";
  private static final Logger log = LoggerFactory.getLogger(LeaderGate.class);

  private final AtomicBoolean leading = new AtomicBoolean();
  private final CompletableFuture<?> election;
  private final String identity;

  /**
   * @param identity this replica's name (the pod name on EKS)
   * @param leaseDuration how long a dead leader keeps the lease; renewals happen well within it
   */
  public LeaderGate(KubernetesClient k8s, String namespace, String identity, Duration leaseDuration) {
    this.identity = identity;
    var config = new LeaderElectionConfigBuilder()
        .withName(LEASE_NAME)
        .withLock(new LeaseLock(namespace, LEASE_NAME, identity))
        .withLeaseDuration(leaseDuration)
        .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
        .withRetryPeriod(leaseDuration.dividedBy(6))
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              leading.set(true);
              log.info("{} leads: acting from now on", identity);
            },
            () -> {
              leading.set(false);
              log.info("{} stopped leading: standing by", identity);
            },
            leader -> log.info("leader is {}", leader)))
        .build();
    this.election = k8s.leaderElector().withConfig(config).build().start();
  }

  public boolean isLeader() {
    return leading.get();
  }

  public String identity() {
    return identity;
  }

  /** Gives the lease up (a follower takes over at once) and stops campaigning. */
  @Override
  public void close() {
    election.cancel(true);
    leading.set(false);
  }
}
