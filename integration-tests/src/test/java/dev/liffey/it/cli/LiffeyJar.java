package dev.liffey.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * On-call's {@code liffey} jar run as a process against the emulator, with no terminal (stdin from
 * /dev/null).
 */
final class LiffeyJar {
  static final Path JAR = Path.of("..", "cli", "target", "liffey.jar").toAbsolutePath().normalize();

  record Result(int exit, String out, String err) {}

  private final Path dir;
  private final URI endpoint;

  LiffeyJar(Path dir, URI endpoint) {
    this.dir = dir;
    this.endpoint = endpoint;
  }

  Result run(Path config, String... args) throws Exception {
    return run(Map.of(), config, args);
  }

  /** As {@link #run(Path, String...)}, with more environment (a KUBECONFIG, say). */
  Result run(Map<String, String> env, Path config, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", config.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile());
    pb.environment()
        .putAll(
            Map.of(
                "AWS_ENDPOINT_URL",
                endpoint.toString(),
                "AWS_ACCESS_KEY_ID",
                "testing",
                "AWS_SECRET_ACCESS_KEY",
                "testing",
                "AWS_REGION",
                "eu-west-1"));
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("liffey %s finished", args[0]).isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(dir.resolve("out.txt")),
        Files.readString(dir.resolve("err.txt")));
  }
}
