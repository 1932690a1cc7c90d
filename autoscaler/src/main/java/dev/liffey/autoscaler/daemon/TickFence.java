package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.engine.Fence;
import java.time.Duration;
import java.util.Optional;

/**
 * One live tick's fence: the tick's deadline, and the lease held with {@code spare} to spare by the
 * same leadership (same token) the tick started under. Thread-safe.
 */
final class TickFence implements Fence {
  private final Leadership leadership;
  private final long token;
  private final long deadline;
  private final Duration budget;
  private final Duration spare;

  /**
   * @param budget how long the tick may take
   * @param spare how long the lease must stay this replica's for a call to start (the longest a
   *     call may take, and a margin for clocks)
   */
  TickFence(Leadership leadership, Duration budget, Duration spare) {
    this.leadership = leadership;
    this.token = leadership.token();
    this.deadline = System.nanoTime() + budget.toNanos();
    this.budget = budget;
    this.spare = spare;
  }

  @Override
  public Optional<String> refusal() {
    if (System.nanoTime() > deadline) {
      return Optional.of("tick deadline (" + budget.toMillis() / 1000.0 + " s) passed");
    }
    if (!leadership.holdsFor(spare) || leadership.token() != token) {
      return Optional.of("lease no longer held with " + spare.toSeconds() + " s to spare");
    }
    return Optional.empty();
  }

  @Override
  public long token() {
    return token;
  }

  @Override
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }
}
