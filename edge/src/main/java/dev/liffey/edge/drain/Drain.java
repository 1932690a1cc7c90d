package dev.liffey.edge.drain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains an edge instance when its group takes it out of service, without dropping anyone: from the
 * moment IMDS names a target lifecycle state that leaves service ({@code Terminated}, or a warm
 * pool state after having been {@code InService}: a scale-in that returns the instance to the pool
 * pauses it in {@code Warmed:Pending:Wait} for the same terminate hook), it takes nothing new (a
 * relay: WHEP 503, Janus refuses new sessions; a transcoder: new streams go elsewhere) and keeps
 * serving what it has (a relay's viewers; a transcoder's streams, until they are handed over),
 * heartbeats the lifecycle hook while any remain, and completes it (CONTINUE) when the last one is
 * gone or at the drain bound. Back {@code InService} (a pool that keeps instances running or
 * hibernated), it takes new ones again. Ticked from one thread.
 */
public final class Drain {
  /** Target lifecycle states that remove this instance whatever it was doing. */
  static final Set<String> TERMINATING = Set.of("Terminated", "Warmed:Terminated");

  static final String IN_SERVICE = "InService";

  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  private final Supplier<Optional<String>> targetLifecycleState;
  private final LifecycleActions lifecycle;
  private final Consumer<Boolean> acceptNew;
  private final Consumer<Boolean> leaving;
  private final IntSupplier left;
  private final String what;
  private final Duration heartbeatEvery;
  private final Duration drainMax;
  private final Clock clock;

  private volatile boolean draining;
  private boolean closedToNew;
  private boolean completed;
  private Instant since;
  private Instant lastHeartbeat;
  private String lastState = "";
  private boolean wasInService;

  /**
   * @param targetLifecycleState IMDS's {@code autoscaling/target-lifecycle-state}, empty when it
   *     cannot be read
   * @param acceptNew tells the instance whether to take new ones (a relay's Janus: {@code
   *     accept_new_sessions})
   * @param left how many it still serves (viewers, streams)
   * @param what what those are, for the log: "viewers", "streams"
   * @param drainMax how long they are waited for before the instance goes anyway
   */
  public Drain(
      Supplier<Optional<String>> targetLifecycleState,
      LifecycleActions lifecycle,
      Consumer<Boolean> acceptNew,
      IntSupplier left,
      String what,
      Duration heartbeatEvery,
      Duration drainMax,
      Clock clock) {
    this(
        targetLifecycleState,
        lifecycle,
        acceptNew,
        leaving -> {},
        left,
        what,
        heartbeatEvery,
        drainMax,
        clock);
  }

  /**
   * As above, telling {@code leaving} once when a drain starts ({@code true}: a relay asks its
   * viewers to reconnect elsewhere) and once when the instance is back in service ({@code false}),
   * on the thread that ticks; a failure there is logged and never holds the drain up.
   */
  public Drain(
      Supplier<Optional<String>> targetLifecycleState,
      LifecycleActions lifecycle,
      Consumer<Boolean> acceptNew,
      Consumer<Boolean> leaving,
      IntSupplier left,
      String what,
      Duration heartbeatEvery,
      Duration drainMax,
      Clock clock) {
    this.targetLifecycleState = targetLifecycleState;
    this.lifecycle = lifecycle;
    this.acceptNew = acceptNew;
    this.leaving = leaving;
    this.left = left;
    this.what = what;
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
      acceptNew.accept(true);
    } catch (RuntimeException e) {
      log.warn("cannot take new {} again, trying next tick: {}", what, e.getMessage());
      return;
    }
    draining = false;
    closedToNew = false;
    completed = false;
    log.info("back in service: taking new {} again", what);
    tell(false);
  }

  private void tell(boolean leavingNow) {
    try {
      leaving.accept(leavingNow);
    } catch (RuntimeException e) {
      log.warn(
          "cannot tell the {} the drain {}: {}",
          what,
          leavingNow ? "started" : "ended",
          e.toString());
    }
  }

  /** One look at the lifecycle state and, while draining, at what is left. */
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
          "draining: taking nothing new, serving {} {} for at most {}",
          left.getAsInt(),
          what,
          drainMax);
      tell(true);
    }
    if (!closedToNew) {
      try {
        acceptNew.accept(false);
        closedToNew = true;
      } catch (RuntimeException e) {
        log.warn(
            "cannot close to new {} (the agent refuses them anyway): {}", what, e.getMessage());
      }
    }
    if (completed) {
      return;
    }
    int remaining = left.getAsInt();
    Duration elapsed = Duration.between(since, now);
    String why =
        remaining == 0
            ? "none of the " + what + " left after " + elapsed.toSeconds() + " s"
            : elapsed.compareTo(drainMax) >= 0
                ? "the drain bound of " + drainMax + " passed with " + remaining + " " + what
                : null;
    try {
      if (why != null) {
        lifecycle.complete();
        completed = true;
        log.info("lifecycle action completed (CONTINUE): {}", why);
      } else if (Duration.between(lastHeartbeat, now).compareTo(heartbeatEvery) >= 0) {
        lifecycle.heartbeat();
        lastHeartbeat = now;
        log.info("lifecycle heartbeat: {} {} still here", remaining, what);
      }
    } catch (RuntimeException e) {
      log.warn("lifecycle call failed, trying again next tick: {}", e.getMessage());
    }
  }
}
