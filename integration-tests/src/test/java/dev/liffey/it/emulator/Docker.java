package dev.liffey.it.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine can be used by the tests. Testcontainers is asked only where an engine
 * could be at all (DOCKER_HOST, a Testcontainers setting, or a socket where Docker, rootful or
 * rootless, puts it): on a machine without Docker it would log an ERROR before the tests fall back.
 */
public final class Docker {
  private Docker() {}

  public static boolean available() {
    if (!configured()) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean configured() {
    if (System.getenv("DOCKER_HOST") != null) {
      return true;
    }
    if (Files.exists(Path.of(System.getProperty("user.home", ""), ".testcontainers.properties"))) {
      return true;
    }
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    return Files.exists(Path.of("/var/run/docker.sock"))
        || (runtime != null && Files.exists(Path.of(runtime, "docker.sock")));
  }
}
