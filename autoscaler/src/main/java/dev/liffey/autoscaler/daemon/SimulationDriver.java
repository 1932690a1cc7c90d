package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.sim.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Advances a simulation one tick per call, from the control-loop job, and logs each decision that
 * changes something with its reasons (holds at DEBUG), plus a status line every simulated five
 * minutes. Calls are serialized by Quartz ({@code @DisallowConcurrentExecution}).
 */
final class SimulationDriver implements Tick {
  private static final Logger log = LoggerFactory.getLogger("liffey");
  private static final Duration STATUS_EVERY = Duration.ofMinutes(5);

  private final Simulation.Prepared run;
  private final CountDownLatch finished = new CountDownLatch(1);
  private Instant nextStatus;
  private final DecisionLog decisions = new DecisionLog(log, LogFormat.fromEnvironment());

  SimulationDriver(Simulation.Prepared run) {
    this.run = run;
    this.nextStatus = run.cloud().start();
  }

  @Override
  public void tick() {
    if (!run.hasNext()) {
      finished.countDown();
      return;
    }
    Instant now = run.cloud().now();
    MDC.put("clock", "t+" + format(Duration.between(run.cloud().start(), now)));
    try {
      Decision decision = run.tick();
      decisions.decided(decision);
      if (!now.isBefore(nextStatus)) {
        log.info("status: {}", status());
        nextStatus = nextStatus.plus(STATUS_EVERY);
      }
    } finally {
      MDC.remove("clock");
    }
    if (!run.hasNext()) {
      finished.countDown();
    }
  }

  private String status() {
    return run.cloud().lastSteps().stream()
        .map(
            s ->
                String.format(
                    Locale.ROOT,
                    "%s %,.0f viewers on %,.0f capacity",
                    s.region(),
                    s.viewers(),
                    s.capacity()))
        .collect(Collectors.joining("; "));
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  CountDownLatch finished() {
    return finished;
  }

  Simulation.Prepared run() {
    return run;
  }
}
