package dev.liffey.edge;

/**
 * A call made every period that may fail the same way for a while (a table, IMDS, a peer): each
 * distinct problem is worth one log line, and so is the end of it, not a line a period.
 * Thread-safe.
 */
public final class RepeatedProblem {
  private String last = "";

  /** Whether {@code problem} is new (not the one seen last), so the caller logs it. */
  public synchronized boolean isNew(String problem) {
    if (problem.equals(last)) {
      return false;
    }
    last = problem;
    return true;
  }

  /** Whether a problem was seen until now, so the caller logs that it ended. */
  public synchronized boolean ended() {
    boolean was = !last.isEmpty();
    last = "";
    return was;
  }
}
