package dev.liffey.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cli/bin/liffey: the same output and exit codes as the jar, nothing from the JVM on the terminal. */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "cli", "bin", "liffey").toAbsolutePath().normalize();
  private static final String CONFIG = Path.of("..", "edge-regions.yaml").toAbsolutePath().normalize().toString();
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString())))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    pb.command().addAll(List.of(args));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
  }

  @Test
  void printsWhatTheJarPrints_andPassesItsExitCodeThrough() throws Exception {
    Run version = run(Map.of(), "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).matches("liffey \\S+\\n");
    assertThat(version.err()).isEmpty();

    Run valid = run(Map.of(), "validate", "--config", CONFIG);
    assertThat(valid.exit()).isZero();
    assertThat(valid.out()).startsWith(CONFIG + ": valid: 3 regions");
    assertThat(valid.err()).isEmpty();

    Run usage = run(Map.of(), "scale", "--config", CONFIG, "--region", "eu-west-1", "--fleet", "relay", "--reason", "x");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).startsWith("liffey: Missing required argument");
  }

  @Test
  void aMissingJarIsOneLineThatSaysHowToBuildIt() throws Exception {
    Run missing = run(Map.of("LIFFEY_JAR", dir.resolve("nope.jar").toString()), "--version");

    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("liffey: no jar at " + dir.resolve("nope.jar")
        + ": build it (mvn -pl cli -am package) or set LIFFEY_JAR\n");
  }
}
