package dev.liffey.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad flags and files: exit 2, one line naming the flag and the fix, nothing started. */
class EdgeMainTest {
  @TempDir Path dir;

  private TestFlags.Run run(String... replace) throws Exception {
    return TestFlags.run(EdgeMain::run, good(), replace);
  }

  /** Flags an agent starts with (off AWS), which each test puts a bad one in or over. */
  private List<String> good() throws Exception {
    Path secret = Files.writeString(dir.resolve("admin-secret"), "s3cret\n");
    Path key = TestKeys.pem(dir, "k.pem", TestKeys.p256());
    Files.writeString(
        dir.resolve("junk.pem"),
        "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n");
    return List.of(
        "--janus-admin-secret-file",
        secret.toString(),
        "--region",
        "eu-west-1",
        "--market",
        "IE",
        "--token-public-key",
        key.toString(),
        "--stream",
        "match=1",
        "--no-aws");
  }

  @Test
  void aKeyFileThatIsNoPemPublicKey_isNamedWithItsFix() throws Exception {
    TestFlags.Run r = run("--token-public-key", dir.resolve("junk.pem").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("junk.pem: not an EC public key")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  void eachBadFlagIsNamedWithTheFormItTakes() throws Exception {
    assertThat(run("--stream", "match").err())
        .startsWith("liffey-edge: --stream match: write NAME=MOUNTPOINT_ID");
    assertThat(run("--listen", "7080").err())
        .startsWith("liffey-edge: --listen 7080: write HOST:PORT");
    assertThat(run("--market", "ireland").err())
        .startsWith("liffey-edge: --market ireland: a market is a two-letter");
    assertThat(run("--address-limit", "lots").err())
        .startsWith("liffey-edge: --address-limit lots: write N/DURATION");
    assertThat(run("--drain-max", "forever").err())
        .contains("'forever' is not a duration: write a whole number and a unit");
    assertThat(run("--janus-admin-secret-file", "/nonexistent").err())
        .isEqualTo(
            "liffey-edge: --janus-admin-secret-file /nonexistent: cannot read it (NoSuchFileException)");
    assertThat(run("--drain-max", "forever").exit()).isEqualTo(2);
    assertThat(run("--advertise", "203.0.113.7:8443").err())
        .startsWith(
            "liffey-edge: --advertise 203.0.113.7:8443: a private or loopback IPv4 address");
    assertThat(run("--turn-url", "turn:relay.example:3478").err())
        .isEqualTo(
            "liffey-edge: --turn-url needs --turn-secret-file: the secret the TURN servers check"
                + " credentials with");
    assertThat(run("--control-table", "liffey-control").err())
        .isEqualTo(
            "liffey-edge: --control-table needs AWS: leave out --no-aws, or give --transcoder URL"
                + " instead");
    assertThat(run("--pack-to", "700").err())
        .isEqualTo(
            "liffey-edge: --pack-to needs --control-table: the relays announce their counts there");
    assertThat(run("--pack-to", "0").err())
        .isEqualTo("liffey-edge: --pack-to 0: at least 1 viewer");
    assertThat(run("--pack-below-ms", "120").err())
        .isEqualTo(
            "liffey-edge: --pack-below-ms needs --pack-to: it bounds how full packing fills a"
                + " relay");
    assertThat(run("--pack-to", "700", "--pack-below-ms", "0").err())
        .isEqualTo("liffey-edge: --pack-below-ms 0.0: milliseconds above 0, like 120");
  }

  @Test
  void aPublicUrlMustBeAnHttpUrl_andIsNamedOnlyInReconnectEvents() throws Exception {
    assertThat(run("--public-url", "edge.example").err())
        .isEqualTo(
            "liffey-edge: --public-url edge.example: an http or https URL with a host and no"
                + " query, like https://edge.example");
    List<String> switchedOff = new java.util.ArrayList<>(good());
    switchedOff.add("--no-reconnect-on-drain");
    TestFlags.Run off =
        TestFlags.run(EdgeMain::run, switchedOff, "--public-url", "https://edge.example");
    assertThat(off.exit()).isEqualTo(2);
    assertThat(off.err()).startsWith("liffey-edge: --public-url is named only in reconnect events");
  }

  @Test
  void theHelpSaysViewersAreAskedToReconnectOnADrain_andHowToTurnItOff() {
    String help = new picocli.CommandLine(new EdgeMain()).getUsageMessage().replaceAll("\\s+", " ");

    assertThat(help)
        .contains("--no-reconnect-on-drain")
        .contains("'reconnect' event")
        .contains("A player that ignores the event watches on until it leaves or --drain-max");
  }

  @Test
  void everyCommandsHelpRenders_withoutPicocliWarningAboutItsText() throws Exception {
    // An unescaped '%' in a description (until stop 70, "70% of it") made picocli print a warning
    // three times on every --help and show that option's text unformatted.
    java.io.PrintStream before = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    StringBuilder help = new StringBuilder();
    try {
      System.setErr(
          new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
      picocli.CommandLine root = new picocli.CommandLine(new EdgeMain());
      help.append(root.getUsageMessage());
      for (picocli.CommandLine sub : root.getSubcommands().values()) {
        help.append(sub.getUsageMessage());
      }
    } finally {
      System.setErr(before);
    }

    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    assertThat(help.toString().replaceAll("\\s+", " ")).contains("stayed below 70% of it for 30 s");
  }

  @Test
  void missingRequiredFlagsAreListed() throws Exception {
    TestFlags.Run r = TestFlags.run(EdgeMain::run, List.of("--region", "eu-west-1"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("Missing required options")
        .contains("--token-public-key")
        .contains("run liffey-edge --help");
  }
}
