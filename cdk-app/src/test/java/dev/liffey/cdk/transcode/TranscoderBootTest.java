package dev.liffey.cdk.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.cdk.fleet.BootCompleterRun;
import dev.liffey.cdk.fleet.BootScripts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU transcoder's boot script: bash that parses, fits in user data, and starts an agent whose
 * flags the agent itself accepts.
 */
class TranscoderBootTest {
  private static final String SCRIPT =
      "#!/bin/bash\n"
          + TranscoderBoot.script(
              new TranscoderBoot.Agent(
                  "eu-west-1",
                  10,
                  List.of("g6.2xlarge", "g5.2xlarge", "g4dn.2xlarge"),
                  "s3://cdk-hnb659fds-assets-123456789012-eu-west-1/" + "a".repeat(64) + ".jar",
                  "liffey-control",
                  "eu-west-1"));

  @TempDir Path dir;

  private static String written(String file, String end) {
    return BootScripts.written(SCRIPT, file, end);
  }

  @Test
  void theBootScriptAndTheCompleterAreBashThatParses_andFitInUserData() throws Exception {
    List<String> scripts = BootScripts.withWrittenScripts(SCRIPT);
    assertThat(scripts).as("the boot script and the completer").hasSize(2);
    BootScripts.assertParse(dir, scripts);
    assertThat(SCRIPT.getBytes(StandardCharsets.UTF_8).length).isLessThan(16 * 1024);
  }

  @Test
  void ffmpegAndJavaComeFromTheImagesPackages_andTheCompleterIsStartedLast() {
    assertThat(SCRIPT)
        .contains("apt-get install -y ffmpeg openjdk-17-jre-headless curl\n")
        .contains("command -v aws >/dev/null || snap install aws-cli --classic\n")
        .contains(
            "aws s3 cp --region eu-west-1 --only-show-errors"
                + " 's3://cdk-hnb659fds-assets-123456789012-eu-west-1/")
        .endsWith(
            "systemctl restart liffey-transcoder.service\n"
                + "# Last: only a transcoder whose install got this far (set -e) tells Auto Scaling"
                + " it has booted.\n"
                + "systemctl enable liffey-boot-complete.service\n"
                + "systemctl start liffey-boot-complete.service\n");
    assertThat(written("/etc/systemd/system/liffey-boot-complete.service", "UNIT"))
        .contains("After=network-online.target liffey-transcoder.service")
        .contains("ExecStart=/usr/local/sbin/liffey-boot-complete");
  }

  @Test
  void theCompleterWaitsForTheAgentsHealth_thenCompletesTheBootHookOfItsOwnGroup()
      throws Exception {
    String completer = written("/usr/local/sbin/liffey-boot-complete", "SH");
    assertThat(completer).contains("curl -fs -o /dev/null http://127.0.0.1:7090/health");

    BootCompleterRun.Result ok = BootCompleterRun.run(dir, completer, "ok", "200");
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(ok.awsCalls())
        .endsWith(
            "autoscaling complete-lifecycle-action --lifecycle-hook-name liffey-boot"
                + " --auto-scaling-group-name liffey-eu-west-1-group"
                + " --instance-id i-0123456789abcdef0 --lifecycle-action-result CONTINUE"
                + " --region eu-west-1\n");

    // The agent exits at start when NVENC cannot encode here: nothing answers, the hook abandons.
    BootCompleterRun.Result never = BootCompleterRun.run(dir, completer, "ok", "000");
    assertThat(never.exitCode()).isEqualTo(1);
    assertThat(never.output())
        .contains("the transcoder agent not up in 180 s; the hook abandons this transcoder");
  }

  /** The agent's command line in the unit, one argument a word (after {@code java -jar JAR}). */
  static List<String> agentArguments() {
    String unit = written("/etc/systemd/system/liffey-transcoder.service", "UNIT");
    Matcher exec = Pattern.compile("ExecStart=(.*?)\n(?!  )", Pattern.DOTALL).matcher(unit);
    assertThat(exec.find()).isTrue();
    List<String> words = List.of(exec.group(1).replace("\\\n", " ").trim().split("\\s+"));
    assertThat(words.subList(0, 3))
        .containsExactly("/usr/bin/java", "-jar", TranscoderBoot.AGENT_JAR);
    return words.subList(3, words.size());
  }

  @Test
  void theAgentRunsOnNvencWithItsSlots_theRegionsTypesInPreferenceOrder_andBothHooksNames() {
    assertThat(String.join(" ", agentArguments()))
        .isEqualTo(
            "transcoder --listen 0.0.0.0:7090 --region eu-west-1 --slots 10"
                + " --prefer-types g6.2xlarge,g5.2xlarge,g4dn.2xlarge --encoder nvenc-h264"
                + " --ingest-ports 9000-9099 --control-table liffey-control --control-region"
                + " eu-west-1 --lifecycle-hook liffey-drain --logs /var/log/liffey-transcoder");
    assertThat(written("/etc/systemd/system/liffey-transcoder.service", "UNIT"))
        .contains("User=liffey")
        .contains("Restart=always")
        .contains("ReadWritePaths=/var/log/liffey-transcoder")
        .contains("Environment=AWS_REGION=eu-west-1");
  }

  /**
   * The real agent, given the unit's command line (its log directory moved here, its address and
   * type given, as IMDS would): it gets as far as checking NVENC, which this machine has not, and
   * stops there with exit code 2 naming it. Any flag it did not know would stop it first.
   */
  @Test
  void theAgentAcceptsEveryFlagTheUnitGivesIt() throws Exception {
    Path jar = Path.of("..", "edge", "target", "liffey-edge.jar");
    assertThat(jar).as("the edge module is packaged before this one").isRegularFile();
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    List<String> args = new ArrayList<>(agentArguments());
    args.set(args.indexOf("--logs") + 1, dir.resolve("logs").toString());
    command.addAll(args);
    command.addAll(List.of("--advertise-host", "10.0.3.9", "--instance-type", "g6.2xlarge"));
    Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("the agent stopped").isTrue();
    String output = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(agent.exitValue()).as(output).isEqualTo(2);
    assertThat(output)
        .as("stopped at the NVENC check, not at a flag")
        .contains("--encoder nvenc-h264: FFmpeg cannot encode with h264_nvenc on this machine")
        .doesNotContain("Unknown option");
  }
}
