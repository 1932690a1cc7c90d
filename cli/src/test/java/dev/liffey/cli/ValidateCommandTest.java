package dev.liffey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  private static final Path REPO_CONFIG = Path.of("..", "edge-regions.yaml");
  @TempDir Path dir;
  private final CliRun cli = new CliRun();

  @Test
  void aValidConfigExitsZero_withOneSummaryLine() {
    int code = cli.run("validate", "--config", REPO_CONFIG.toString());

    assertThat(code).isZero();
    assertThat(cli.out.toString())
        .isEqualTo(
            REPO_CONFIG
                + ": valid: 3 regions (eu-west-1, eu-west-2, eu-central-1),"
                + " 3 markets, 12 Auto Scaling groups, 9 EKS services, IE weighted between eu-west-1/eu-west-2,"
                + " 3 known events"
                + System.lineSeparator());
    assertThat(cli.err.toString()).isEmpty();
  }

  @Test
  void anInvalidConfigExitsTwo_withEveryProblemOnItsOwnLine() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        Files.readString(REPO_CONFIG)
            .replace("maxInstances: 120", "maxInstances: 2")
            .replace("ttlSeconds: 60", "ttlSecs: 60"));

    int code = cli.run("validate", "--config", bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.err.toString().lines())
        .hasSize(5)
        .satisfies(
            lines -> {
              assertThat(lines.get(0))
                  .startsWith(bad + ":")
                  .contains("regions[0].relay.minInstances: minInstances 4 is above");
              assertThat(lines.get(1)).contains("regions[0].relay.warmPoolSize");
              assertThat(lines.get(2)).contains("routing.ttlSeconds: 'ttlSeconds' is required");
              assertThat(lines.get(3))
                  .contains(
                      "routing.ttlSecs: unknown key 'ttlSecs' (hint: did you mean 'ttlSeconds'?)");
              assertThat(lines.get(4)).isEqualTo(bad + ": invalid, 4 problems");
            });
  }

  @Test
  void aYamlSyntaxErrorExitsTwo_withItsLineNumber() throws IOException {
    Path bad = dir.resolve("syntax.yaml");
    Files.writeString(bad, "version: 1\nregions:\n  - id: eu-west-1\n   city: Dublin\n");

    int code = cli.run("validate", "--config", bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith(bad + ":4:").contains("YAML syntax error");
  }

  @Test
  void aMissingFileExitsTwo_andSaysWhichFlagFixesIt() {
    int code = cli.run("validate", "--config", dir.resolve("nope.yaml").toString());

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString())
        .contains(
            "nope.yaml: file not found (hint: pass --config with the path to your"
                + " edge-regions.yaml)");
  }

  @Test
  @Timeout(5)
  void aDeviceAsConfigExitsTwoAtOnce_withOneLine_whereItOnceRanOutOfMemory() {
    int code = cli.run("validate", "--config", "/dev/zero");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "/dev/zero: not a regular file (a device, named pipe or socket) (hint:"
                + " pass --config with the path to your edge-regions.yaml)\n/dev/zero: invalid, 1 problem\n");
  }

  @Test
  void anUnknownOptionExitsTwo_pointingAtHelp() {
    int code = cli.run("validate", "--konfig", "x");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: Unknown options: '--konfig', 'x'"
                + System.lineSeparator()
                + "Run 'liffey validate --help' for usage."
                + System.lineSeparator());
  }
}
