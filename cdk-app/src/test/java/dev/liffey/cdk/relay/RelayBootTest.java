package dev.liffey.cdk.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.cdk.fleet.BootCompleterRun;
import dev.liffey.cdk.fleet.BootScripts;
import dev.liffey.cdk.fleet.ControlTableRef;
import dev.liffey.core.config.Market;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's boot script as text: bash that parses, and small enough for EC2 to accept. */
class RelayBootTest {
  private static final List<Market> IRELAND_AND_BRITAIN =
      List.of(
          new Market("IE", "Ireland", List.of()), new Market("GB", "United Kingdom", List.of()));

  /** As the template renders it: an S3 URL of about the length the asset's will have. */
  private static String script(List<Market> markets) {
    return "#!/bin/bash\n"
        + RelayBoot.script(
            "eu-west-1",
            markets,
            Duration.ofSeconds(300),
            "s3://cdk-hnb659fds-assets-123456789012-eu-west-1/" + "a".repeat(64) + ".jar",
            new RelayBoot.Turn("eu-west-1.edge.live.liffey.example", TURN_SECRET_ARN),
            new ControlTableRef("liffey-control", "eu-west-1"),
            new RelayBoot.Pack(700, 120));
  }

  private static final String TURN_SECRET_ARN =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:TurnSecretA1B2C3D4-AbCdEfGhIjKl-AbCdEf";

  @TempDir Path dir;

  @Test
  void theBootScriptAndEveryScriptItWritesAreBashThatParses() throws Exception {
    List<String> scripts = BootScripts.withWrittenScripts(script(IRELAND_AND_BRITAIN));
    // the boot script, the NAT, token-key, TURN secret and coturn config scripts, the agent's
    // wrapper, the boot-hook completer
    assertThat(scripts).hasSize(7);
    BootScripts.assertParse(dir, scripts);
  }

  @Test
  void theBootScriptFitsInEc2sSixteenKibibytesOfUserData() {
    assertThat(script(IRELAND_AND_BRITAIN).getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(16 * 1024);
  }

  private static String written(String script, String file, String end) {
    return BootScripts.written(script, file, end);
  }

  @Test
  void theBootScriptStartsTheBootHookCompleterLast_afterJanusAndTheAgent_andOnEveryBoot() {
    String script = script(IRELAND_AND_BRITAIN);
    assertThat(script)
        .endsWith(
            "systemctl restart liffey-edge.service\n"
                + "# Last: only a relay whose install got this far (set -e) tells Auto Scaling it"
                + " has booted.\n"
                + "systemctl enable liffey-boot-complete.service\n"
                + "systemctl start liffey-boot-complete.service\n");
    assertThat(script.indexOf("systemctl enable janus.service liffey-edge.service"))
        .isLessThan(script.indexOf("systemctl enable liffey-boot-complete.service"));

    assertThat(written(script, "/etc/systemd/system/liffey-boot-complete.service", "UNIT"))
        .contains("After=network-online.target janus.service liffey-edge.service")
        .contains("Type=oneshot")
        .contains("ExecStart=/usr/local/sbin/liffey-boot-complete")
        .contains("WantedBy=multi-user.target");
    assertThat(written(script, "/usr/local/sbin/liffey-boot-complete", "SH"))
        .contains("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8443/health")
        .contains("[[ $code == 200 || $code == 503 ]]")
        .contains("http://127.0.0.1:8088/janus/info")
        .contains("(( SECONDS >= 120 ))")
        .contains("-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' \"$imds/api/token\"")
        .contains("complete-lifecycle-action --lifecycle-hook-name liffey-boot ")
        .contains("--lifecycle-action-result CONTINUE --region eu-west-1");
  }

  private BootCompleterRun.Result completer(String completeAnswer, String healthCode)
      throws Exception {
    return BootCompleterRun.run(
        dir,
        written(script(IRELAND_AND_BRITAIN), "/usr/local/sbin/liffey-boot-complete", "SH"),
        completeAnswer,
        healthCode);
  }

  @Test
  void theCompleterSendsContinueForTheBootHook_toItsOwnGroup_onceTheAgentAnswers()
      throws Exception {
    BootCompleterRun.Result run = completer("ok", "503"); // a draining agent is listening too

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.awsCalls())
        .isEqualTo(
            "autoscaling describe-auto-scaling-instances --instance-ids i-0123456789abcdef0"
                + " --region eu-west-1 --query AutoScalingInstances[0].AutoScalingGroupName"
                + " --output text\n"
                + "autoscaling complete-lifecycle-action --lifecycle-hook-name liffey-boot"
                + " --auto-scaling-group-name liffey-eu-west-1-group"
                + " --instance-id i-0123456789abcdef0 --lifecycle-action-result CONTINUE"
                + " --region eu-west-1\n");
  }

  @Test
  void theCompleterSucceedsWhenNoLaunchActionIsPending_asOnAnOrdinaryReboot() throws Exception {
    BootCompleterRun.Result run = completer("none", "200");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("no liffey-boot action pending for i-0123456789abcdef0");
  }

  @Test
  void theCompleterFails_whenAutoScalingRefusesForAnotherReason() throws Exception {
    BootCompleterRun.Result run = completer("throttled", "200");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("(Throttling)");
  }

  @Test
  void theCompleterGivesUpWithoutCompleting_whenTheAgentNeverAnswers() throws Exception {
    BootCompleterRun.Result run = completer("ok", "000");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("agent or Janus not up in 120 s");
    assertThat(run.awsCalls()).isEmpty();
  }

  @Test
  void theAgentStartsWithEveryServedMarketInOneFlag_andWithoutOneWhenTheRegionServesNone() {
    assertThat(script(IRELAND_AND_BRITAIN))
        .contains("  --region eu-west-1 \\\n  --market IE,GB \\\n  --stream live=1 \\\n");
    assertThat(script(List.of()))
        .contains("  --region eu-west-1 \\\n  --stream live=1 \\\n")
        .doesNotContain("--market");
  }

  @Test
  void coturnIsInstalledWithoutStartingOnItsPackagedConfig_andRestartsAlwaysAfterItsOwnIsWritten() {
    String script = script(IRELAND_AND_BRITAIN);
    int deny = script.indexOf("printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d\n");
    int install = script.indexOf("apt-get install -y coturn\n");
    int allow = script.indexOf("rm -f /usr/sbin/policy-rc.d\n");
    assertThat(deny).isPositive().isLessThan(install);
    assertThat(install).isLessThan(allow);

    assertThat(written(script, "/etc/systemd/system/coturn.service.d/liffey.conf", "UNIT"))
        .contains("After=network-online.target")
        .contains(
            "ExecStartPre=+/usr/local/sbin/liffey-turn-secret\n"
                + "ExecStartPre=+/usr/local/sbin/liffey-turn-conf\n")
        .contains("Restart=always")
        .contains("StartLimitIntervalSec=0");
    assertThat(script)
        .contains("systemctl enable coturn.service\n")
        .contains("systemctl restart coturn.service\n");
    assertThat(script.indexOf("systemctl restart coturn.service"))
        .isLessThan(script.indexOf("systemctl enable liffey-boot-complete.service"));
  }

  @Test
  void theTurnSecretIsReadFromSecretsManagerBeforeEveryStartOfCoturnAndOfTheAgent() {
    String script = script(IRELAND_AND_BRITAIN);
    assertThat(written(script, "/usr/local/sbin/liffey-turn-secret", "SH"))
        .contains("aws secretsmanager get-secret-value --secret-id '" + TURN_SECRET_ARN + "' \\\n")
        .contains("--region eu-west-1 --query SecretString --output text")
        .contains("[[ ! $secret =~ ^[A-Za-z0-9]{40,}$ ]]")
        .contains("chown root:liffey \"$tmp\"\nchmod 640 \"$tmp\"\n")
        .contains("mv -f \"$tmp\" /etc/liffey/turn-secret\n")
        // never the secret itself in the journal
        .doesNotContainPattern("echo [^\\n]*\\$secret");
    assertThat(written(script, "/etc/systemd/system/liffey-edge.service", "UNIT"))
        .contains(
            "ExecStartPre=+/usr/local/sbin/liffey-token-keys\n"
                + "ExecStartPre=+/usr/local/sbin/liffey-turn-secret\n");
  }

  /** What liffey-turn-conf writes to /etc/turnserver.conf, before the shell expands it. */
  private static String coturnConfig(String turnConf) {
    Matcher m =
        Pattern.compile("cat > \"\\$tmp\" <<CONF\n(.*?)\nCONF\n", Pattern.DOTALL).matcher(turnConf);
    assertThat(m.find()).as("liffey-turn-conf writes coturn's config").isTrue();
    return m.group(1);
  }

  @Test
  void coturnChecksTurnRestCredentials_relaysAtThePublicAddressFromImds_andNeverToPrivatePeers() {
    String turnConf =
        written(script(IRELAND_AND_BRITAIN), "/usr/local/sbin/liffey-turn-conf", "SH");
    assertThat(turnConf)
        .contains("-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' \"$imds/api/token\"")
        .contains("\"$imds/meta-data/public-ipv4\"")
        .contains("\"$imds/meta-data/local-ipv4\"")
        .contains("secret=$(< /etc/liffey/turn-secret)")
        .contains("chown root:turnserver \"$tmp\"\nchmod 640 \"$tmp\"\n")
        .contains("mv -f \"$tmp\" /etc/turnserver.conf\n");
    List<String> config = coturnConfig(turnConf).lines().toList();
    assertThat(config)
        .contains(
            "listening-port=3478",
            "external-ip=$public/$private",
            "relay-ip=$private",
            "min-port=49152",
            "max-port=65535",
            "realm=eu-west-1.edge.live.liffey.example",
            "use-auth-secret",
            "static-auth-secret=$secret",
            "no-tls",
            "no-dtls",
            "no-cli",
            "no-multicast-peers",
            "denied-peer-ip=10.0.0.0-10.255.255.255",
            "denied-peer-ip=172.16.0.0-172.31.255.255",
            "denied-peer-ip=192.168.0.0-192.168.255.255",
            "denied-peer-ip=169.254.0.0-169.254.255.255",
            "syslog")
        .noneMatch(l -> l.startsWith("allowed-peer-ip"))
        .noneMatch(l -> l.startsWith("lt-cred-mech") || l.startsWith("user="));
  }

  @Test
  void theAgentHandsViewersTurnOverUdpAndTcpOnTheRegionalName_withCredentialsFromTheSecretFile() {
    assertThat(written(script(IRELAND_AND_BRITAIN), "/opt/liffey/bin/liffey-edge", "SH"))
        .contains(
            "  --turn-url 'turn:eu-west-1.edge.live.liffey.example:3478?transport=udp' \\\n"
                + "  --turn-url 'turn:eu-west-1.edge.live.liffey.example:443?transport=tcp' \\\n"
                + "  --turn-secret-file /etc/liffey/turn-secret \\\n");
  }
}
