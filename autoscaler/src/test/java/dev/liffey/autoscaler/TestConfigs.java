package dev.liffey.autoscaler;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The repository's edge-regions.yaml, as the tests read it. */
public final class TestConfigs {
  private static EdgeConfig repository;

  private TestConfigs() {}

  /** The repository's file with {@code from} replaced by {@code to} (which must be in it). */
  public static EdgeConfig variant(String from, String to) {
    try {
      String yaml = java.nio.file.Files.readString(Path.of("..", EdgeConfigLoader.DEFAULT_FILE));
      if (!yaml.contains(from)) {
        throw new IllegalArgumentException("'" + from + "' is not in edge-regions.yaml");
      }
      return new EdgeConfigLoader(
              Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC))
          .parse("edge-regions.yaml", yaml.replace(from, to))
          .config();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static synchronized EdgeConfig repository() {
    if (repository == null) {
      try {
        repository =
            new EdgeConfigLoader(Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC))
                .load(Path.of("..", EdgeConfigLoader.DEFAULT_FILE))
                .config();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return repository;
  }
}
