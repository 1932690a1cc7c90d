package dev.liffey.core.config;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loading edge-regions.yaml for a person at a terminal, the same way in the CLI, the daemon and the
 * CDK app: warnings as {@code warning: <problem>}; when the file is invalid, every problem (file,
 * line, column, path, message, hint) and then one line that counts them and says what was not done.
 */
public final class ConfigReport {
  private ConfigReport() {}

  /**
   * The configuration in {@code file}, or empty when it is invalid (everything said on {@code
   * err}).
   *
   * @param notDone what the caller did not do because of it ({@code "nothing was started"}); empty
   *     for none
   */
  public static Optional<LoadedConfig> load(Path file, PrintWriter err, String notDone) {
    try {
      LoadedConfig config = new EdgeConfigLoader().load(file);
      config.warnings().forEach(w -> err.println("warning: " + w));
      err.flush();
      return Optional.of(config);
    } catch (InvalidConfigException e) {
      e.problems().forEach(err::println);
      int n = e.problems().size();
      err.println(
          file
              + ": invalid, "
              + n
              + (n == 1 ? " problem" : " problems")
              + (notDone.isEmpty() ? "" : "; " + notDone));
      err.flush();
      return Optional.empty();
    }
  }
}
