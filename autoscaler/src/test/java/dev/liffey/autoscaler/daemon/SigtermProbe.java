package dev.liffey.autoscaler.daemon;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A daemon for {@link AutoscalerMainTest} to send SIGTERM to: the real scheduling and shutdown hook
 * ({@code AutoscalerMain.runScheduled}), around ticks that each take {@code args[0]} milliseconds,
 * with a shutdown grace of {@code args[1]} milliseconds. Prints when each tick starts and ends.
 */
public final class SigtermProbe {
  private SigtermProbe() {}

  public static void main(String[] args) throws Exception {
    long tickMillis = Long.parseLong(args[0]);
    Duration grace = Duration.ofMillis(Long.parseLong(args[1]));
    AtomicInteger ticks = new AtomicInteger();
    Tick slow =
        () -> {
          int n = ticks.incrementAndGet();
          System.out.println("tick " + n + " started");
          long end = System.nanoTime() + tickMillis * 1_000_000;
          while (System.nanoTime() < end) { // a call that ignores interrupts, as a socket read does
            try {
              Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
              System.out.println("tick " + n + " interrupted");
            }
          }
          System.out.println("tick " + n + " ended");
        };
    AutoscalerMain.runScheduled(slow, 100, new CountDownLatch(1), scheduler -> {}, grace);
    System.out.println("scheduler stopped");
  }
}
