package dev.liffey.edge.drain;

import dev.liffey.edge.viewers.Viewers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the relay when its group terminates it, without dropping anyone: from the moment IMDS
 * names the target lifecycle state {@code Terminated}, the relay admits nobody (WHEP 503, Janus
 * refuses new sessions, health reports draining) and keeps serving the viewers it has, heartbeats
 * the lifecycle hook while they remain, and completes it (CONTINUE) when the last one leaves or at
 * the drain bound. Ticked from one thread.
 */
public final class Drain {
  /** Target lifecycle states that mean this instance is being removed. */
  static final Set<String> TERMINATING = Set.of("Terminated", "Warmed:Terminated");

  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  private final Supplier<Optional<String>> targetLifecycleState;
  private final LifecycleActions lifecycle;
  private final Runnable refuseNewSessions;
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

  /**
   * @param targetLifecycleState IMDS's {@code autoscaling/target-lifecycle-state}, empty when it
   *     cannot be read
   * @param refuseNewSessions tells the SFU to take nobody new (Janus's {@code accept_new_sessions})
   * @param drainMax how long viewers are waited for before the instance goes anyway
   */
  public Drain(
      Supplier<Optional<String>> targetLifecycleState,
      LifecycleActions lifecycle,
      Runnable refuseNewSessions,
      Viewers viewers,
      Duration heartbeatEvery,
      Duration drainMax,
      Clock clock) {
    this.targetLifecycleState = targetLifecycleState;
    this.lifecycle = lifecycle;
    this.refuseNewSessions = refuseNewSessions;
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

  /** One look at the lifecycle state and, while draining, at the viewers left. */
  public synchronized void tick() {
    Instant now = clock.instant();
    if (!draining) {
      Optional<String> state = targetLifecycleState.get();
      state
          .filter(s -> !s.equals(lastState))
          .ifPresent(s -> log.info("target lifecycle state: {}", s));
      state.ifPresent(s -> lastState = s);
      if (state.isEmpty() || !TERMINATING.contains(state.get())) {
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
        refuseNewSessions.run();
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
    Duration draining = Duration.between(since, now);
    String why =
        left == 0
            ? "the last viewer left after " + draining.toSeconds() + " s"
            : draining.compareTo(drainMax) >= 0
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
