package dev.liffey.autoscaler.engine;

import java.time.Instant;

/** Now, as the engine sees it: wall time in production, simulated time in the simulator. */
@FunctionalInterface
public interface Clock {
  Instant now();
}
