package dev.liffey.it.cdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The pinned AWS CDK CLI in {@code cdk-app/}, as a platform engineer runs it. */
public final class CdkCli {
  public static final Path CDK_APP = Path.of("..", "cdk-app").toAbsolutePath().normalize();

  private CdkCli() {}

  /**
   * {@code npx cdk synth} into {@code out}; runs {@code npm ci} first if the CLI is not installed.
   */
  public static int synth(Path out, Path log, Map<String, String> env)
      throws IOException, InterruptedException {
    if (!Files.exists(CDK_APP.resolve("node_modules/.bin/cdk"))) {
      run(
          List.of("npm", "ci", "--no-audit", "--no-fund"),
          log.resolveSibling("npm.log"),
          Map.of(),
          300);
    }
    return run(
        List.of("npx", "cdk", "synth", "--quiet", "--output", out.toString()), log, env, 600);
  }

  static int run(List<String> command, Path log, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(CDK_APP.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command)
              + " took over "
              + timeoutSeconds
              + " s; log: "
              + Files.readString(log));
    }
    return p.exitValue();
  }
}
