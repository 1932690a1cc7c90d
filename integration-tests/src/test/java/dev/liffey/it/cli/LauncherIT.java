package dev.liffey.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cli/bin/liffey: the same output and exit codes as the jar, nothing from the JVM on the terminal,
 * and a start-up cache made in the background for the JDK and the jar's path, wherever the checkout
 * is.
 */
class LauncherIT {
  private static final Path BIN = Path.of("..", "cli", "bin").toAbsolutePath().normalize();
  private static final Path LAUNCHER = BIN.resolve("liffey");
  private static final String CONFIG =
      Path.of("..", "edge-regions.yaml").toAbsolutePath().normalize().toString();
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(Map<String, String> env, String... args) throws Exception {
    return run(LAUNCHER, env, args);
  }

  private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(new java.util.ArrayList<>(List.of("bash", launcher.toString())))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    pb.command().addAll(List.of(args));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    pb.environment().put("LIFFEY_STARTUP_CACHE", "off");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
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

    Run usage =
        run(
            Map.of(),
            "scale",
            "--config",
            CONFIG,
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--reason",
            "x");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).startsWith("liffey: Missing required argument");
  }

  @Test
  void aCopiedCheckoutGetsItsOwnStartupCache_madeInTheBackground_andMapsItFromTheNextRun()
      throws Exception {
    Path copy = dir.resolve("elsewhere");
    Files.createDirectories(copy.resolve("bin"));
    Files.createDirectories(copy.resolve("target"));
    for (String script : List.of("liffey", "liffey-prepare")) {
      Files.copy(BIN.resolve(script), copy.resolve("bin").resolve(script));
    }
    Files.copy(LiffeyJar.JAR, copy.resolve("target").resolve("liffey.jar"));
    Path launcher = copy.resolve("bin").resolve("liffey");
    Map<String, String> on = Map.of("LIFFEY_STARTUP_CACHE", "on");

    Run first = run(launcher, on, "validate", "--config", CONFIG);
    assertThat(first.exit()).isZero();
    assertThat(first.err()).isEmpty();
    Path cacheDir = dir.resolve("cache").resolve("liffey");
    Path cache = awaitCache(cacheDir, Duration.ofSeconds(90));

    Path loads = dir.resolve("class-load.log");
    Run second =
        run(
            launcher,
            Map.of(
                "LIFFEY_STARTUP_CACHE",
                "on",
                "LIFFEY_JAVA_OPTS",
                "-Xlog:class+load=info:file=" + loads),
            "validate",
            "--config",
            CONFIG);
    assertThat(second.exit()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(second.err()).isEmpty();
    assertThat(Files.readAllLines(loads))
        .as("classes of liffey mapped from %s", cache)
        .anyMatch(l -> l.contains("dev.liffey.cli.ValidateCommand source: shared objects file"));
  }

  @Test
  void noCacheIsMadeWhenTurnedOff_orForVersion() throws Exception {
    assertThat(run(Map.of("LIFFEY_STARTUP_CACHE", "off"), "validate", "--config", CONFIG).exit())
        .isZero();
    assertThat(run(Map.of("LIFFEY_STARTUP_CACHE", "on"), "--version").exit()).isZero();
    Thread.sleep(1_000);
    assertThat(dir.resolve("cache").resolve("liffey")).doesNotExist();
  }

  /** The cache file, once liffey-prepare has moved it into place (its lock gone). */
  private static Path awaitCache(Path cacheDir, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(cacheDir)) {
        try (var files = Files.list(cacheDir)) {
          List<Path> all = files.toList();
          var made =
              all.stream()
                  .filter(p -> p.toString().endsWith(".jsa") || p.toString().endsWith(".aot"))
                  .findFirst();
          if (made.isPresent() && all.stream().noneMatch(p -> p.toString().endsWith(".lock"))) {
            return made.get();
          }
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no start-up cache in "
            + cacheDir
            + " within "
            + within
            + "; its log: "
            + (Files.isDirectory(cacheDir)
                ? String.join("\n", listLogs(cacheDir))
                : "(no directory)"));
  }

  private static List<String> listLogs(Path cacheDir) throws Exception {
    try (var files = Files.list(cacheDir)) {
      List<String> out = new java.util.ArrayList<>();
      for (Path p : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        out.addAll(Files.readAllLines(p));
      }
      return out;
    }
  }

  @Test
  void aMissingJarIsOneLineThatSaysHowToBuildIt() throws Exception {
    Run missing = run(Map.of("LIFFEY_JAR", dir.resolve("nope.jar").toString()), "--version");

    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo(
            "liffey: no jar at "
                + dir.resolve("nope.jar")
                + ": build it (mvn -pl cli -am package) or set LIFFEY_JAR\n");
  }
}
