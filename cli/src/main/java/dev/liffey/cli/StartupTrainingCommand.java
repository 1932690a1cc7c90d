package dev.liffey.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code liffey startup-training} (hidden): what a start-up cache is trained on, with nothing from
 * outside. It builds every command's help, validates the configuration the jar carries, and runs
 * {@code status} on it against a closed port on 127.0.0.1 (AWS is never reached; the AWS SDK's
 * classes are loaded as a real read loads them), printing nothing. {@code cli/bin/liffey-prepare}
 * runs it under the JVM's recorder (a class list for a CDS archive, or an AOT cache on Java 25+).
 */
@Command(
    name = "startup-training",
    hidden = true,
    description = "Train a start-up cache (used by bin/liffey).")
final class StartupTrainingCommand implements Callable<Integer> {
  static final String CONFIG = "/dev/liffey/cli/training/edge-regions.yaml";

  /** AWS as the training sees it: a closed port, made-up credentials, no instance metadata. */
  private static final Map<String, String> AWS =
      Map.of(
          "aws.endpointUrl",
          "http://127.0.0.1:9",
          "aws.accessKeyId",
          "startup-training",
          "aws.secretAccessKey",
          "startup-training",
          "aws.region",
          "eu-west-1",
          "aws.disableEc2Metadata",
          "true");

  @Override
  public Integer call() throws IOException {
    Map<String, String> before = new HashMap<>();
    AWS.forEach(
        (k, v) -> {
          before.put(k, System.getProperty(k));
          System.setProperty(k, v);
        });
    try {
      train();
    } finally {
      before.forEach(
          (k, v) -> {
            if (v == null) {
              System.clearProperty(k);
            } else {
              System.setProperty(k, v);
            }
          });
    }
    return LiffeyCli.EXIT_OK;
  }

  private void train() throws IOException {
    Path config = Files.createTempFile("liffey-training", ".yaml");
    try (InputStream in = StartupTrainingCommand.class.getResourceAsStream(CONFIG)) {
      if (in == null) {
        throw new IllegalStateException(
            "no " + CONFIG + " in the jar: build it with mvn -pl cli -am package");
      }
      Files.write(config, in.readAllBytes());
      run("--help");
      run("validate", "--config", config.toString());
      run("status", "--config", config.toString());
      run("status", "-o", "json", "--config", config.toString());
    } finally {
      Files.deleteIfExists(config);
    }
  }

  /** Runs a command as on-call would, its output thrown away. */
  private static void run(String... args) {
    CommandLine cli = LiffeyCli.commandLine();
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    cli.setOut(nowhere);
    cli.setErr(nowhere);
    cli.execute(args);
  }
}
