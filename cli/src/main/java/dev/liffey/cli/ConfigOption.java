package dev.liffey.cli;

import dev.liffey.core.config.ConfigReport;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What a command that reads edge-regions.yaml shares: {@code --config FILE} (declared once, on the
 * root, for every command, before or after it) and loading it with its problems printed.
 */
@Command
public final class ConfigOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private EdgeConfig loaded;

  public Path file() {
    return LiffeyCli.of(mixee).config;
  }

  /**
   * The configuration {@link #load} read, if it did: what error messages name the table and zone
   * from.
   */
  Optional<EdgeConfig> loaded() {
    return Optional.ofNullable(loaded);
  }

  /** Loads the file; on problems, prints every one to {@code err} and throws {@link Invalid}. */
  public LoadedConfig load(PrintWriter err) {
    LoadedConfig config = ConfigReport.load(file(), err, "").orElseThrow(Invalid::new);
    loaded = config.config();
    return config;
  }

  /** The configuration was invalid and its problems were printed: exit 2. */
  public static final class Invalid extends RuntimeException {
    Invalid() {
      super(null, null, false, false);
    }
  }
}
