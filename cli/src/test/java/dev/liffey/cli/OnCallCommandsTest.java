package dev.liffey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Usage errors of the on-call commands: exit 2, one line naming the problem and the fix, before any AWS call. */
class OnCallCommandsTest {
  private static final String CONFIG = Path.of("..", "edge-regions.yaml").toString();
  private final CliRun cli = new CliRun();

  @Test
  void aChangeWithoutAReasonIsRefused() {
    assertThat(cli.run("freeze", "--config", CONFIG, "--yes")).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("liffey: Missing required option: '--reason=TEXT'");
  }

  @Test
  void anUnknownFleetNamesTheFleetsThereAre() {
    assertThat(cli.run("freeze", "--config", CONFIG, "--fleet", "relays", "--reason", "x", "--yes")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("liffey: unknown fleet 'relays': use one of chat, g4dn.2xlarge, g5.2xlarge,"
        + " g6.2xlarge, game, relay, transcode, wallet\n");
  }

  @Test
  void aDryRunSaysWhatWouldChange_andChangesNothing() {
    assertThat(cli.run("freeze", "--config", CONFIG, "--region", "eu-west-1", "--reason", "x", "--dry-run")).isZero();
    assertThat(cli.out.toString()).isEqualTo("dry run: would freeze every fleet in eu-west-1\n");
  }

  @Test
  void prewarmRefusesACapacityAboveTheGroupsCeiling_namingHowToRaiseIt() {
    assertThat(cli.run("prewarm", "--config", CONFIG, "--region", "eu-west-1", "--fleet", "relay", "--capacity", "500",
        "--for", "1h", "--reason", "x", "--yes")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("liffey: --capacity 500 is outside 1..120 for relay eu-west-1 (raise"
        + " maxInstances in edge-regions.yaml and deploy to go higher)\n");
  }

  @Test
  void routeShiftOnlyMovesTheRoutedMarket_toARegionServingIt() {
    assertThat(cli.run("route", "shift", "--config", CONFIG, "--market", "GB", "--to", "eu-west-1", "--percent", "50",
        "--for", "1h", "--reason", "x", "--yes")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("liffey: market 'GB' is not routed by weight: only IE is\n");
    assertThat(cli.run("route", "shift", "--config", CONFIG, "--market", "IE", "--to", "eu-central-1", "--percent", "50",
        "--for", "1h", "--reason", "x", "--yes")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("liffey: --to 'eu-central-1' does not serve IE: use one of eu-west-1,"
        + " eu-west-2\n");
  }

  @Test
  void historyRejectsADurationItCannotRead_andAnUnknownFormat() {
    assertThat(cli.run("history", "--config", CONFIG, "--since", "yesterday")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo(
        "liffey: --since 'yesterday' is not a duration: use a number and s, m, h or d, like 6h\n");
    assertThat(cli.run("history", "--config", CONFIG, "-o", "yaml")).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("liffey: unknown output format 'yaml': use -o table or -o json\n");
  }
}
