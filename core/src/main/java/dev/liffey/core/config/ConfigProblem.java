package dev.liffey.core.config;

/**
 * One thing wrong (or worth a warning) in a configuration file, with where it is and how to fix it.
 *
 * @param source the file name as the user gave it
 * @param line 1-based line, or 0 when the problem has no single place
 * @param column 1-based column, or 0 when unknown
 * @param path the value's path in the document, like {@code regions[1].relay.maxInstances}; empty
 *     for the document itself
 * @param message what is wrong, naming the value
 * @param hint how to fix it; may be empty
 */
public record ConfigProblem(
    String source, int line, int column, String path, String message, String hint) {

  /** {@code file:line:column: path: message (hint: ...)}, the form editors and CI logs link to. */
  @Override
  public String toString() {
    var sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    sb.append(": ");
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    sb.append(message);
    if (!hint.isEmpty()) {
      sb.append(" (hint: ").append(hint).append(')');
    }
    return sb.toString();
  }
}
