package dev.liffey.cli;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import dev.liffey.core.config.InvalidConfigException;
import dev.liffey.core.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command that reads edge-regions.yaml. */
public final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "${env:LIFFEY_CONFIG:-edge-regions.yaml}",
      description = "The configuration (default: $LIFFEY_CONFIG, else ./edge-regions.yaml).")
  Path file;

  private EdgeConfig loaded;

  public Path file() {
    return file;
  }

  /** The configuration {@link #load} read, if it did: what error messages name the table and zone from. */
  Optional<EdgeConfig> loaded() {
    return Optional.ofNullable(loaded);
  }

  /** Loads the file; on problems, prints every one to {@code err} and throws {@link Invalid}. */
  public LoadedConfig load(PrintWriter err) {
    try {
      LoadedConfig config = new EdgeConfigLoader().load(file);
      config.warnings().forEach(w -> err.println("warning: " + w));
      loaded = config.config();
      return config;
    } catch (InvalidConfigException e) {
      e.problems().forEach(err::println);
      err.println(file + ": invalid, " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
      throw new Invalid();
    }
  }

  /** The configuration was invalid and its problems were printed: exit 2. */
  public static final class Invalid extends RuntimeException {
    Invalid() {
      super(null, null, false, false);
    }
  }
}
