package dev.liffey.autoscaler.sim;

import java.util.List;

/** The trace was rejected; every problem names its line. */
public final class InvalidTraceException extends Exception {
  private final transient List<String> problems;

  public InvalidTraceException(String source, List<String> problems) {
    super(
        source
            + ": "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "; first: "
            + problems.get(0));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
