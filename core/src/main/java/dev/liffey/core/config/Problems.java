package dev.liffey.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;

/**
 * Collects problems and remembers where each path was seen, so later cross-checks can point at it.
 */
final class Problems {
  private final String source;
  private final List<ConfigProblem> errors = new ArrayList<>();
  private final List<ConfigProblem> warnings = new ArrayList<>();
  private final Map<String, Mark> marks = new HashMap<>();

  Problems(String source) {
    this.source = source;
  }

  void seen(String path, Mark mark) {
    marks.putIfAbsent(path, mark);
  }

  void error(String path, String message, String hint) {
    errors.add(at(path, marks.get(path), message, hint));
  }

  void error(Mark mark, String path, String message, String hint) {
    errors.add(at(path, mark, message, hint));
  }

  void warning(String path, String message, String hint) {
    warnings.add(at(path, marks.get(path), message, hint));
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  List<ConfigProblem> errors() {
    return sorted(errors);
  }

  List<ConfigProblem> warnings() {
    return sorted(warnings);
  }

  private ConfigProblem at(String path, Mark mark, String message, String hint) {
    int line = mark == null ? 0 : mark.getLine() + 1;
    int column = mark == null ? 0 : mark.getColumn() + 1;
    return new ConfigProblem(source, line, column, path, message, hint == null ? "" : hint);
  }

  private static List<ConfigProblem> sorted(List<ConfigProblem> list) {
    return list.stream()
        .sorted(
            Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
        .toList();
  }
}
