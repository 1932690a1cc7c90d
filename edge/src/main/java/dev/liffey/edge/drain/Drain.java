package dev.liffey.edge.drain;

import dev.liffey.edge.viewers.Viewers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the relay when its group takes it out of service, without dropping anyone: from the moment
 * IMDS names a target lifecycle state that leaves service ({@code Terminated}, or a warm pool state
 * after having been {@code InService}: a scale-in that returns the instance to the pool pauses it
 * in {@code Warmed:Pending:Wait} for the same terminate hook), the relay admits nobody (WHEP 503,
 * Janus refuses new sessions, health reports draining) and keeps serving the viewers it has,
 * heartbeats the lifecycle hook while they remain, and completes it (CONTINUE) when the last one
 * leaves or at the drain bound. Back {@code InService} (a pool that keeps instances running or
 * hibernated), it admits again. Ticked from one thread.
 */
public final class Drain {
  /** Target lifecycle states that remove this instance whatever it was doing. */
  static final Set<String> TERMINATING = Set.of("Terminated", "Warmed:Terminated");

  static final String IN_SERVICE = "InService";

  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  private final Supplier<Optional<String>> targetLifecycleState;
  private final LifecycleActions lifecycle;
  private final Consumer<Boolean> acceptNewSessions;
  private final Viewers viewers;
  private final Duration heartbeatEvery;
  private final Duration drainMax;
  private final Clock clock;

  private volatile boolean draining;
  private boolean janusClosed;
  private boolean completed;
  private Instant since;
  private Instant lastHeartbeat;
  private String lastState = "";
  private boolean wasInService;

  /**
   * @param targetLifecycleState IMDS's {@code autoscaling/target-lifecycle-state}, empty when it
   *     cannot be read
   * @param acceptNewSessions tells the SFU whether to take new viewers (Janus's {@code
   *     accept_new_sessions})
   * @param drainMax how long viewers are waited for before the instance goes anyway
   */
  public Drain(
      Supplier<Optional<String>> targetLifecycleState,
      LifecycleActions lifecycle,
      Consumer<Boolean> acceptNewSessions,
      Viewers viewers,
      Duration heartbeatEvery,
      Duration drainMax,
      Clock clock) {
    this.targetLifecycleState = targetLifecycleState;
    this.lifecycle = lifecycle;
    this.acceptNewSessions = acceptNewSessions;
    this.viewers = viewers;
    this.heartbeatEvery = heartbeatEvery;
    this.drainMax = drainMax;
    this.clock = clock;
  }

  public boolean draining() {
    return draining;
  }

  /** Whether the lifecycle action has been completed (the instance is about to go). */
  public synchronized boolean completed() {
    return completed;
  }

  private boolean leavesService(String state) {
    return TERMINATING.contains(state) || (wasInService && state.startsWith("Warmed:"));
  }

  /** Back in service (from a pool that keeps instances running): admit again. */
  private void resume() {
    try {
      acceptNewSessions.accept(true);
    } catch (RuntimeException e) {
      log.warn(
          "cannot tell Janus to accept new sessions again, trying next tick: {}", e.getMessage());
      return;
    }
    draining = false;
    janusClosed = false;
    completed = false;
    log.info("back in service: admitting viewers again");
  }

  /** One look at the lifecycle state and, while draining, at the viewers left. */
  public synchronized void tick() {
    Instant now = clock.instant();
    Optional<String> state = targetLifecycleState.get();
    state
        .filter(s -> !s.equals(lastState))
        .ifPresent(s -> log.info("target lifecycle state: {}", s));
    state.ifPresent(s -> lastState = s);
    if (state.isPresent() && state.get().equals(IN_SERVICE)) {
      wasInService = true;
      if (draining) {
        resume();
      }
      return;
    }
    if (!draining) {
      if (state.isEmpty() || !leavesService(state.get())) {
        return;
      }
      draining = true;
      since = now;
      lastHeartbeat = now;
      log.info(
          "draining: admitting nobody, serving {} viewers for at most {}",
          viewers.size(),
          drainMax);
    }
    if (!janusClosed) {
      try {
        acceptNewSessions.accept(false);
        janusClosed = true;
      } catch (RuntimeException e) {
        log.warn(
            "cannot tell Janus to refuse new sessions (the agent refuses them anyway): {}",
            e.getMessage());
      }
    }
    if (completed) {
      return;
    }
    int left = viewers.size();
    Duration elapsed = Duration.between(since, now);
    String why =
        left == 0
            ? "the last viewer left after " + elapsed.toSeconds() + " s"
            : elapsed.compareTo(drainMax) >= 0
                ? "the drain bound of " + drainMax + " passed with " + left + " viewers"
                : null;
    try {
      if (why != null) {
        lifecycle.complete();
        completed = true;
        log.info("lifecycle action completed (CONTINUE): {}", why);
      } else if (Duration.between(lastHeartbeat, now).compareTo(heartbeatEvery) >= 0) {
        lifecycle.heartbeat();
        lastHeartbeat = now;
        log.info("lifecycle heartbeat: {} viewers still watching", left);
      }
    } catch (RuntimeException e) {
      log.warn("lifecycle call failed, trying again next tick: {}", e.getMessage());
    }
  }
}
