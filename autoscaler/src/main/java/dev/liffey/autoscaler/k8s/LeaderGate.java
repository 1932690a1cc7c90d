package dev.liffey.autoscaler.k8s;

import dev.liffey.core.config.Autoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through a Kubernetes Lease (Fabric8 {@code LeaderElector}): of the replicas running,
 * one leads and only it acts; when it dies, a follower takes over within the lease duration. A
 * replica that loses the lease (a renewal deadline missed in an API hiccup, the lease taken)
 * campaigns again, for as long as it lives: Fabric8's elector returns once leadership ends, so each
 * campaign is a new elector.
 *
 * <p>What the control loop needs for fencing comes from watching the lock itself: when this replica
 * last renewed (by its own monotonic clock, taken before the write), so {@link #holdsFor(Duration)}
 * can tell whether the lease is still this replica's for long enough to make a call; and the
 * lease's transition count at acquisition, the fencing token. Thread-safe.
 */
public final class LeaderGate implements AutoCloseable {
  public static final String LEASE_NAME = "liffey-autoscaler";
  private static final Logger log = LoggerFactory.getLogger(LeaderGate.class);

  private final KubernetesClient k8s;
  private final String namespace;
  private final String identity;
  private final Duration leaseDuration;
  private final BiConsumer<Boolean, Long> onChange;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  // System.nanoTime() before this replica's last successful write of the lease as holder; 0: none.
  private final AtomicLong renewedAt = new AtomicLong();
  private final AtomicLong token = new AtomicLong();
  // System.nanoTime() of the last answer from the API server (any lease read or write).
  private final AtomicLong lastContact = new AtomicLong();
  private final AtomicReference<Campaign> election = new AtomicReference<>();
  private final ScheduledExecutorService campaigns =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "liffey-leader-campaign");
            t.setDaemon(true);
            return t;
          });

  /**
   * Starts campaigning at once.
   *
   * @param identity this replica's name (the pod name on EKS)
   * @param leaseDuration how long a dead leader keeps the lease; renewals happen every sixth of it
   *     and must succeed within two thirds of it
   * @param onChange told {@code true} on every gain of leadership and {@code false} on every loss,
   *     with the fencing token of the leadership gained or lost
   */
  public LeaderGate(
      KubernetesClient k8s,
      String namespace,
      String identity,
      Duration leaseDuration,
      BiConsumer<Boolean, Long> onChange) {
    this.k8s = k8s;
    this.namespace = namespace;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
    this.onChange = onChange;
    campaigns.execute(this::campaign);
  }

  public LeaderGate(
      KubernetesClient k8s, String namespace, String identity, Duration leaseDuration) {
    this(k8s, namespace, identity, leaseDuration, (gained, token) -> {});
  }

  /**
   * One elector's run, and when it stepped down: Fabric8 calls its stop-leading callback after it
   * has tried to release the lease.
   */
  private record Campaign(CompletableFuture<?> running, CountDownLatch steppedDown) {}

  private void campaign() {
    if (closed.get()) {
      return;
    }
    CountDownLatch steppedDown = new CountDownLatch(1);
    LeaderElectionConfig config =
        new LeaderElectionConfigBuilder()
            .withName(LEASE_NAME)
            .withLock(new WatchedLock(new LeaseLock(namespace, LEASE_NAME, identity)))
            .withLeaseDuration(leaseDuration)
            .withRenewDeadline(Autoscaler.renewDeadline(leaseDuration))
            .withRetryPeriod(leaseDuration.dividedBy(6))
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    this::gained,
                    () -> {
                      lost();
                      steppedDown.countDown();
                    },
                    leader -> log.info("[lease={}] leader is {}", LEASE_NAME, leader)))
            .build();
    CompletableFuture<?> running = k8s.leaderElector().withConfig(config).build().start();
    election.set(new Campaign(running, steppedDown));
    running.whenComplete(
        (v, e) -> {
          lost();
          if (closed.get()) {
            return;
          }
          if (e != null) {
            log.warn(
                "[lease={}] {}'s campaign ended with {}; campaigning again",
                LEASE_NAME,
                identity,
                e.toString());
          } else {
            log.info("[lease={}] {} campaigns again", LEASE_NAME, identity);
          }
          campaigns.schedule(
              this::campaign, leaseDuration.dividedBy(6).toMillis(), TimeUnit.MILLISECONDS);
        });
  }

  private void gained() {
    if (leading.compareAndSet(false, true)) {
      log.info(
          "[lease={}] {} leads (fencing token {}): acting from now on",
          LEASE_NAME,
          identity,
          token.get());
      onChange.accept(true, token.get());
    }
  }

  private void lost() {
    renewedAt.set(0);
    if (leading.compareAndSet(true, false)) {
      log.warn("[lease={}] {} stopped leading: standing by and campaigning", LEASE_NAME, identity);
      onChange.accept(false, token.get());
    }
  }

  /**
   * Whether this replica leads: the elector says so, and by its last renewal the lease is still its
   * own. The elector notices a missed renewal deadline on its own thread, which a busy machine can
   * run late; a cut-off leader must not claim (in its health, metrics and logs) a lease that by its
   * own clock a follower may already hold.
   */
  public boolean isLeader() {
    return holdsFor(Duration.ZERO);
  }

  /**
   * Whether this replica leads and its lease, by its last renewal, stays its own for at least
   * {@code spare} more: long enough for one call to finish before another replica could take over.
   */
  public boolean holdsFor(Duration spare) {
    long at = renewedAt.get();
    return leading.get()
        && at != 0
        && System.nanoTime() - at < leaseDuration.minus(spare).toNanos();
  }

  /**
   * The lease's transition count when this replica last acquired it: higher for every new leader.
   */
  public long token() {
    return token.get();
  }

  /** Whether the API server has answered this replica's lease calls within the lease duration. */
  public boolean reachesApiServer() {
    long at = lastContact.get();
    return at != 0 && System.nanoTime() - at < leaseDuration.toNanos();
  }

  public String identity() {
    return identity;
  }

  /**
   * Gives the lease up (Fabric8 shortens it to a second, so a follower takes over at its next
   * retry) and stops campaigning. Returns once the elector has released the lease, or after the
   * renew deadline if it cannot: an elector cancelled just as it acquired steps down on its own
   * thread, and a caller closing its client right after this returned would cut that release off,
   * leaving followers to wait for the lease to expire.
   */
  @Override
  public void close() {
    closed.set(true);
    boolean wasLeading = leading.get();
    Campaign campaign = election.get();
    if (campaign != null) {
      campaign.running().cancel(true);
      if (wasLeading) {
        awaitStepDown(campaign.steppedDown());
      }
    }
    campaigns.shutdownNow();
    lost();
  }

  private void awaitStepDown(CountDownLatch steppedDown) {
    Duration bound = Autoscaler.renewDeadline(leaseDuration);
    try {
      if (!steppedDown.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "[lease={}] {} could not release the lease within {} ms; followers take it when it"
                + " expires",
            LEASE_NAME,
            identity,
            bound.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The Lease lock, watched: when this replica renews, at which transition count, and that the API
   * answers.
   */
  private final class WatchedLock implements Lock {
    private final Lock lease;

    WatchedLock(Lock lease) {
      this.lease = lease;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
      LeaderElectionRecord r = lease.get(client);
      lastContact.set(System.nanoTime());
      return r;
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
      long before = System.nanoTime();
      lease.create(client, record);
      written(record, before);
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
      long before = System.nanoTime();
      lease.update(client, record);
      written(record, before);
    }

    private void written(LeaderElectionRecord record, long before) {
      lastContact.set(System.nanoTime());
      if (identity.equals(record.getHolderIdentity())) {
        token.set(record.getLeaderTransitions());
        renewedAt.set(before);
      } else {
        renewedAt.set(0); // released
      }
    }

    @Override
    public String identity() {
      return lease.identity();
    }

    @Override
    public String describe() {
      return lease.describe();
    }
  }
}
