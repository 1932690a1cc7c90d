package dev.liffey.cdk.relay;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The relay agent's jar ({@code edge/target/liffey-edge.jar}), which the relay stacks publish as an
 * S3 asset and every relay downloads at boot. It is a build output, so a synth before the build
 * stops here, before any construct is made, saying how to build it.
 */
public final class EdgeAgentJar {
  /** Where {@code mvn install} leaves it, relative to {@code cdk-app/}, where the CDK app runs. */
  public static final Path DEFAULT = Path.of("..", "edge", "target", "liffey-edge.jar");

  /** The jar is not there: one line says which file and how to build it. */
  public static final class MissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingException(String message) {
      super(message);
    }
  }

  private EdgeAgentJar() {}

  /**
   * {@code jar} if it is a regular file.
   *
   * @throws MissingException if it is not, naming it (absolute) and the build command
   */
  public static Path require(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new MissingException(
          "the relay agent's jar "
              + jar.toAbsolutePath().normalize()
              + " does not exist: build it first with 'mvn -B -q install -DskipTests' in the"
              + " repository's root, then synthesize again");
    }
    return jar;
  }
}
