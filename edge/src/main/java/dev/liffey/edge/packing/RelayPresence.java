package dev.liffey.edge.packing;

import dev.liffey.edge.RepeatedProblem;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This relay in its region's registry: every period it writes how many viewers it holds, their
 * round-trip p95 and whether it drains, and reads the others' entries for {@link Packing}. A write
 * or read that fails is logged once and tried again next period; meanwhile the entries read before
 * lapse one by one, and with none left every join is admitted where it arrives, as without packing.
 */
public final class RelayPresence implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayPresence.class);

  private final RelayRegistry registry;
  private final String id;
  private final InetSocketAddress address;
  private final IntSupplier viewers;
  private final Supplier<OptionalDouble> latencyP95;
  private final BooleanSupplier draining;
  private final Packing packing;
  private final Duration lease;
  private final Clock clock;
  private final RepeatedProblem problems = new RepeatedProblem();
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "packing");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param address where the region's other relays reach this one's agent
   * @param latencyP95 the p95 of this relay's watching viewers' round-trip times, in ms
   * @param lease how long an entry holds without a renewal (three periods)
   */
  public RelayPresence(
      RelayRegistry registry,
      String id,
      InetSocketAddress address,
      IntSupplier viewers,
      Supplier<OptionalDouble> latencyP95,
      BooleanSupplier draining,
      Packing packing,
      Duration lease,
      Clock clock) {
    this.registry = registry;
    this.id = id;
    this.address = address;
    this.viewers = viewers;
    this.latencyP95 = latencyP95;
    this.draining = draining;
    this.packing = packing;
    this.lease = lease;
    this.clock = clock;
  }

  /** Renews this relay's entry and reads the region's. */
  public synchronized void tick() {
    Instant now = clock.instant();
    try {
      registry.announce(
          new RelayEntry(
              id,
              address,
              viewers.getAsInt(),
              latencyP95.get(),
              draining.getAsBoolean(),
              now,
              now.plus(lease)));
      packing.known(registry.entries());
      if (problems.ended()) {
        log.info("the relay registry answers again; joins are packed");
      }
    } catch (RuntimeException e) {
      String problem = String.valueOf(e.getMessage());
      if (problems.isNew(problem)) {
        log.warn(
            "the relay registry failed ({}); joins stay where they arrive once the entries read"
                + " before lapse; trying again",
            problem);
      }
    }
  }

  /** Ticks every {@code period} from now on. */
  public void start(Duration period) {
    ticks.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops ticking, then removes the entry (the agent is stopping), so nothing writes it again. */
  @Override
  public void close() {
    ticks.shutdownNow();
    try {
      ticks.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      registry.leave(id);
    } catch (RuntimeException e) {
      log.warn("relay registry entry not removed (it lapses): {}", e.getMessage());
    }
  }
}
