package dev.liffey.it.edge;

import java.time.Duration;

/** Waiting for something a process does, with a bound and a message saying what never came. */
final class Await {
  private Await() {}

  /** A check that may throw (an HTTP call, a file read). */
  @FunctionalInterface
  interface Check {
    boolean ok() throws Exception;
  }

  static void until(String what, Check check, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
