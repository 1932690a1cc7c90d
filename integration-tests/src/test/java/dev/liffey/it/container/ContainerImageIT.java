package dev.liffey.it.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.liffey.it.emulator.Docker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's image as the EKS Deployment runs it: built by Jib to a tarball (no Docker daemon
 * needed for that), loaded, and run read-only as its unprivileged user.
 */
class ContainerImageIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final String IMAGE = "liffey/autoscaler:0.1.0-SNAPSHOT";
  @TempDir Path dir;

  private String run(List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "cmd", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", command, out).isZero();
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  @Timeout(
      value = 20,
      unit = TimeUnit.MINUTES) // a Maven build with Jib (run() allows 10 min), docker load and runs
  void jibBuildsTheDaemonsImageToATarball_thatRunsReadOnlyAsAnUnprivilegedUser() throws Exception {
    assumeTrue(Docker.available(), "no Docker engine to load the image into");
    assumeTrue(
        run(List.of("docker", "images", "-q", "liffey/jre17-base:bookworm"), 30).strip().length()
            > 0,
        "the base image is missing: run autoscaler/container/build-base-image.sh");

    // Built from a copy of the sources: packaging here would rewrite jars this test JVM has open.
    Path copy = dir.resolve("src");
    // Every module the parent names must be there for Maven to read it (the parent's own list).
    List<String> modules =
        java.util.regex.Pattern.compile("<module>([^<]+)</module>")
            .matcher(Files.readString(REPO.resolve("pom.xml")))
            .results()
            .map(m -> m.group(1))
            .toList();
    for (String module : modules) {
      Files.createDirectories(copy.resolve(module));
      Files.copy(REPO.resolve(module).resolve("pom.xml"), copy.resolve(module).resolve("pom.xml"));
    }
    Files.copy(REPO.resolve("pom.xml"), copy.resolve("pom.xml"));
    for (String tree : List.of("core/src/main", "autoscaler/src/main")) {
      copyTree(REPO.resolve(tree), copy.resolve(tree));
    }
    run(
        List.of(
            "mvn",
            "-B",
            "-q",
            "-f",
            copy.resolve("pom.xml").toString(),
            "-pl",
            "autoscaler",
            "-am",
            "package",
            "-DskipTests",
            "com.google.cloud.tools:jib-maven-plugin:buildTar"),
        600);
    Path tar = copy.resolve("autoscaler/target/liffey-autoscaler-image.tar");
    assertThat(tar).isNotEmptyFile();
    assertThat(run(List.of("docker", "load", "-i", tar.toString()), 120))
        .contains("Loaded image: " + IMAGE);

    assertThat(
            run(
                    List.of(
                        "docker",
                        "image",
                        "inspect",
                        IMAGE,
                        "--format",
                        "{{.Config.User}} {{json .Config.ExposedPorts}}"),
                    30)
                .strip())
        .isEqualTo("10001:10001 {\"8080/tcp\":{}}");
    assertThat(
            run(
                List.of(
                    "docker",
                    "run",
                    "--rm",
                    "--read-only",
                    "--network",
                    "host",
                    IMAGE,
                    "--version"),
                60))
        .contains("liffey-autoscaler 0.1.0-SNAPSHOT");
    String simulated =
        run(
            List.of(
                "docker",
                "run",
                "--rm",
                "--read-only",
                "--network",
                "host",
                "-v",
                REPO.resolve("edge-regions.yaml") + ":/etc/liffey/edge-regions.yaml:ro",
                IMAGE,
                "--config",
                "/etc/liffey/edge-regions.yaml",
                "--simulate",
                "--speed",
                "100000"),
            120);
    assertThat(simulated)
        .contains("scorecard viral-spike.csv, policy liffey:")
        .containsPattern("unservedViewerSeconds [0-9,]+\n  servedViewerSeconds +[0-9,]+");
  }
}
