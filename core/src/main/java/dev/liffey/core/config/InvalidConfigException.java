package dev.liffey.core.config;

import java.util.List;

/** The configuration was rejected; {@link #problems()} lists every problem found, in file order. */
public final class InvalidConfigException extends Exception {
  private final String source;
  private final transient List<ConfigProblem> problems;

  public InvalidConfigException(String source, List<ConfigProblem> problems) {
    super(
        source
            + ": "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + (problems.isEmpty() ? "" : "; first: " + problems.get(0)));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  public String source() {
    return source;
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
