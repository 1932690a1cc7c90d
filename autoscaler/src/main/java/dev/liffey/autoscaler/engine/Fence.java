package dev.liffey.autoscaler.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether this replica may still act in the tick under way, and the fencing token its records
 * carry. The control loop asks {@link #refusal()} before every actuation: a tick that ran out of
 * time, or a replica that no longer holds the lease with time to spare, abandons what is left. The
 * token (the lease's transition count) goes into every audit and action record; the control store
 * refuses a write from a token older than one that has written ({@link FencedOut}). One instance
 * per tick; thread-safe.
 */
public interface Fence {
  /** No deadline, no leader election, token 0: simulations, tests, on-call's plan. */
  Fence NONE =
      new Fence() {
        @Override
        public Optional<String> refusal() {
          return Optional.empty();
        }

        @Override
        public long token() {
          return 0;
        }

        @Override
        public Duration remaining() {
          return Duration.ofDays(1);
        }
      };

  /** Empty when this replica may act now; else why not, in words ("tick deadline passed"). */
  Optional<String> refusal();

  /** The fencing token: higher for each new leader; 0 without leader election. */
  long token();

  /** Time left for this tick's reads (never negative). */
  Duration remaining();
}
