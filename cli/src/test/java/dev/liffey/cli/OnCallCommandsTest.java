package dev.liffey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Usage errors of the on-call commands: exit 2, one line naming the problem and the fix, before any
 * AWS call. Where a command line is valid, it gets as far as AWS: here a closed port on 127.0.0.1,
 * exit 3 (what a valid change does against AWS is the integration tests' to show).
 */
class OnCallCommandsTest {
  private static final String CONFIG = Path.of("..", "edge-regions.yaml").toString();
  private final CliRun cli = new CliRun();
  private final FakeAws aws = new FakeAws();

  @BeforeEach
  void awsNowhere() throws Exception {
    aws.closed();
  }

  @AfterEach
  void restore() throws Exception {
    aws.close();
  }

  @Test
  void aChangeWithoutAReasonIsRefused() {
    assertThat(cli.run("freeze", "--config", CONFIG, "--yes")).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("liffey: Missing required option: '--reason=TEXT'");
  }

  @Test
  void anUnknownFleetNamesTheFleetsThereAre() {
    assertThat(cli.run("freeze", "--config", CONFIG, "--fleet", "relays", "--reason", "x", "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: unknown fleet 'relays': use one of chat, g4dn.2xlarge, g5.2xlarge,"
                + " g6.2xlarge, game, relay, routing, transcode, wallet\n");
  }

  @Test
  void routingIsFrozenAsAWhole_notPerRegion() {
    assertThat(
            cli.run(
                "freeze", "--config", CONFIG, "--fleet", "routing", "--reason", "x", "--dry-run"))
        .isEqualTo(3);
    assertThat(
            cli.run(
                "freeze",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--fleet",
                "routing",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: --fleet routing is the weights of IE's routing records, which belong to no"
                + " region: drop --region\n");
  }

  @Test
  void aFreezeLongerThanADayIsRefused_withTheBound() {
    assertThat(
            cli.run(
                "freeze",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--for",
                "25h",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: Invalid value for option '--for': '25h' is more than 1d, the"
                + " longest a freeze holds: use 1d or less, and freeze again before it ends to hold it longer\n"
                + "Run 'liffey freeze --help' for usage.\n");
    assertThat(
            cli.run(
                "freeze",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--for",
                "24h",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(3);
  }

  @Test
  void anUnknownLadderNamesTheLaddersThereAre_andARegionIsRequired() {
    assertThat(
            cli.run(
                "ladder",
                "force",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--ladder",
                "360",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith(
            "liffey: Invalid value for option '--ladder': no ladder '360': name one by its rungs"
                + " or its top rung: 1080/720/480/360, 720/480/360, 480/360");
    assertThat(cli.run("ladder", "hold", "--config", CONFIG, "--reason", "x", "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("Missing required option: '--region=R'");
    assertThat(
            cli.run(
                "ladder",
                "release",
                "--config",
                CONFIG,
                "--region",
                "eu-north-1",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .contains("unknown region 'eu-north-1': use one of eu-west-1, eu-west-2, eu-central-1");
  }

  @Test
  void prewarmRefusesACapacityAboveTheGroupsCeiling_namingHowToRaiseIt() {
    assertThat(
            cli.run(
                "prewarm",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--fleet",
                "relay",
                "--capacity",
                "500",
                "--for",
                "1h",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: --capacity 500 is outside 4..120 for relay eu-west-1 (change"
                + " minInstances/maxInstances in edge-regions.yaml and deploy to go beyond)\n");
  }

  @Test
  void routeShiftOnlyMovesTheRoutedMarket_toARegionServingIt() {
    assertThat(
            cli.run(
                "route",
                "shift",
                "--config",
                CONFIG,
                "--market",
                "GB",
                "--to",
                "eu-west-1",
                "--percent",
                "50",
                "--for",
                "1h",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo("liffey: market 'GB' is not routed by weight: only IE is\n");
    assertThat(
            cli.run(
                "route",
                "shift",
                "--config",
                CONFIG,
                "--market",
                "IE",
                "--to",
                "eu-central-1",
                "--percent",
                "50",
                "--for",
                "1h",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: --to 'eu-central-1' does not serve IE: use one of eu-west-1,"
                + " eu-west-2\n");
  }

  @Test
  void historyRejectsADurationItCannotRead_andAnUnknownFormat() {
    assertThat(cli.run("history", "--config", CONFIG, "--since", "yesterday")).isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: Invalid value for option '--since': 'yesterday' is not a"
                + " duration: use a positive number and s, m, h or d, like 45m\nRun 'liffey history --help' for usage.\n");
    assertThat(cli.run("history", "--config", CONFIG, "-o", "xml")).isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: Invalid value for option '--output': expected one of table, json"
                + " or yaml but was 'xml'\nRun 'liffey history --help' for usage.\n");
  }

  @Test
  void aHoldLongerThanAWeekIsRefused_withTheBound_whereYear4764WasOnceAccepted() {
    assertThat(
            cli.run(
                "prewarm",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--fleet",
                "relay",
                "--capacity",
                "9",
                "--for",
                "999999d",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: Invalid value for option '--for': '999999d' is more than 7d, the"
                + " longest an on-call change holds: use 7d or less (a lasting change belongs in edge-regions.yaml)\n"
                + "Run 'liffey prewarm --help' for usage.\n");
    assertThat(
            cli.run(
                "scale",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--fleet",
                "relay",
                "--capacity",
                "9",
                "--for",
                "169h",
                "--reason",
                "x",
                "--dry-run"))
        .isEqualTo(2);
    assertThat(
            cli.run(
                "scale",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--fleet",
                "relay",
                "--capacity",
                "9",
                "--for",
                "168h",
                "--reason",
                "x",
                "--dry-run"))
        .isEqualTo(3);
  }

  @Test
  void historyReadsAtMostAMonthBack_whereItOnceMadeAMillionQueries() {
    assertThat(cli.run("history", "--config", CONFIG, "--since", "999999d")).isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: Invalid value for option '--since': '999999d' is more than 31d,"
                + " as far back as history reads (a query a day): use 31d or less\nRun 'liffey history --help' for usage.\n");
  }

  @Test
  void scaleTakesACapacityOrARelease_notBoth() {
    assertThat(
            cli.run(
                "scale",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--fleet",
                "relay",
                "--reason",
                "x"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith(
            "liffey: Missing required argument (specify one of these):"
                + " (--capacity=N | --release)\n");
    assertThat(
            cli.run(
                "scale",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--fleet",
                "relay",
                "--capacity",
                "9",
                "--release",
                "--reason",
                "x"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith("liffey: --capacity=N, --release are mutually exclusive");
  }

  @Test
  void scaleNamesTheFleetsOfTheRegion_servicesIncluded_forAFleetThatIsNotOne() {
    assertThat(
            cli.run(
                "scale",
                "--config",
                CONFIG,
                "--region",
                "eu-central-1",
                "--fleet",
                "chats",
                "--capacity",
                "9",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: --fleet 'chats' is not a fleet in eu-central-1: use one of relay,"
                + " transcode, g6.2xlarge, g5.2xlarge, g4dn.2xlarge, chat, wallet, game\n");
    assertThat(
            cli.run(
                "prewarm",
                "--config",
                CONFIG,
                "--region",
                "eu-central-1",
                "--fleet",
                "chat",
                "--capacity",
                "9",
                "--for",
                "1h",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: --fleet 'chat' is not an Auto Scaling group in eu-central-1: use"
                + " one of relay, transcode, g6.2xlarge, g5.2xlarge, g4dn.2xlarge\n");
  }

  @Test
  void scaleKeepsAServiceWithinItsReplicaBounds() {
    assertThat(
            cli.run(
                "scale",
                "--config",
                CONFIG,
                "--region",
                "eu-west-1",
                "--fleet",
                "wallet",
                "--capacity",
                "900",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith("liffey: --capacity 900 is outside ")
        .endsWith(
            " for wallet eu-west-1"
                + " (change minReplicas/maxReplicas in edge-regions.yaml and deploy to go beyond)\n");
  }

  @Test
  void globalOptionsMayComeBeforeOrAfterEveryCommand_validateIncluded_andOnlyTheyMay() {
    assertThat(
            cli.run(
                "--config",
                CONFIG,
                "-o",
                "json",
                "freeze",
                "--region",
                "eu-west-1",
                "--reason",
                "x",
                "--dry-run"))
        .isEqualTo(3);
    assertThat(cli.run("--config", "no-such.yaml", "validate")).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("no-such.yaml");
    assertThat(cli.run("validate", "--config", "no-such.yaml")).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("no-such.yaml");
    assertThat(cli.run("-v", "--config", CONFIG, "validate")).isZero();
    assertThat(cli.run("--yes", "validate", "--config", CONFIG)).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("liffey: Unknown option: '--yes'");
    assertThat(cli.run("--config", CONFIG, "--dry-run", "freeze", "--reason", "x")).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("liffey: Unknown option: '--dry-run'");
  }

  @Test
  void startupTrainingRunsWhatItTrainsOnQuietly_reachesNoAws_andLeavesNoSettingBehind() {
    String endpoint = System.getProperty("aws.endpointUrl");

    assertThat(cli.run("startup-training")).isZero();

    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.err.toString()).isEmpty();
    assertThat(System.getProperty("aws.endpointUrl")).isEqualTo(endpoint);
    assertThat(cli.run("--help")).isZero();
    assertThat(cli.out.toString()).doesNotContain("startup-training");
  }

  @Test
  void anUnknownCommandGetsDidYouMean() {
    assertThat(cli.run("stauts")).isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: unknown command 'stauts': did you mean 'status'?\n"
                + "Run 'liffey --help' for usage.\n");
    assertThat(cli.run("route", "shfit")).isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith("liffey: unknown command 'shfit': did you mean 'shift'?\n");
  }

  @Test
  void eventsAddChecksTheMarketTheStartAndTheName_beforeAnyAwsCall() {
    assertThat(
            cli.run(
                "events",
                "add",
                "--config",
                CONFIG,
                "--name",
                "Final",
                "--market",
                "FR",
                "--start",
                "2030-01-01T20:00:00Z",
                "--duration",
                "2h",
                "--viewers",
                "9000",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo("liffey: unknown market 'FR': use one of IE, GB, DE\n");
    assertThat(
            cli.run(
                "events",
                "add",
                "--config",
                CONFIG,
                "--name",
                "Final",
                "--market",
                "IE",
                "--start",
                "tonight",
                "--duration",
                "2h",
                "--viewers",
                "9000",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: --start 'tonight' is not an instant: use ISO-8601 UTC, like"
                + " 2026-12-26T17:30:00Z\n");
    assertThat(
            cli.run(
                "events",
                "add",
                "--config",
                CONFIG,
                "--name",
                "Six Nations: Ireland v England",
                "--market",
                "IE",
                "--start",
                "2030-01-01T20:00:00Z",
                "--duration",
                "2h",
                "--viewers",
                "9000",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: event 'Six Nations: Ireland v England' is in edge-regions.yaml"
                + " already: pick another --name\n");
    assertThat(
            cli.run(
                "events",
                "add",
                "--config",
                CONFIG,
                "--name",
                "Final",
                "--market",
                "IE",
                "--start",
                "2030-01-01T20:00:00Z",
                "--duration",
                "2h",
                "--viewers",
                "85000",
                "--reason",
                "x",
                "--dry-run"))
        .isEqualTo(3);
  }

  @Test
  void completionPrintsABashScriptForEveryCommand_andRefusesOtherShells() {
    assertThat(cli.run("completion", "bash")).isZero();
    assertThat(cli.out.toString())
        .startsWith("#!/usr/bin/env bash")
        .contains("drain")
        .contains("undrain")
        .contains("--capacity")
        .contains("--release");
    assertThat(cli.run("completion", "fish")).isEqualTo(2);
    assertThat(cli.err.toString())
        .isEqualTo("liffey: no completion for shell 'fish': use bash or zsh\n");
  }

  @Test
  void aCommandBuildsOnlyItself_whileHelpAndCompletionSeeEveryCommand() {
    assertThat(
            LiffeyCli.commandLineFor(new String[] {"status", "--region", "eu-west-1"})
                .getSubcommands())
        .containsOnlyKeys("status");
    assertThat(LiffeyCli.commandLineFor(new String[] {"--version"}).getSubcommands()).isEmpty();
    assertThat(LiffeyCli.commandLineFor(new String[] {"--help"}).getSubcommands())
        .containsKeys(
            "status",
            "plan",
            "prewarm",
            "scale",
            "route",
            "freeze",
            "unfreeze",
            "ladder",
            "drain",
            "undrain",
            "events",
            "history",
            "validate",
            "simulate",
            "completion",
            "help");
    assertThat(LiffeyCli.commandLineFor(new String[] {"completion", "bash"}).getSubcommands())
        .hasSize(17);
    assertThat(
            LiffeyCli.commandLineFor(new String[] {"-o", "json", "--config", "x.yaml", "status"})
                .getSubcommands())
        .containsOnlyKeys("status");
  }
}
