package dev.liffey.cdk.transcode;

import dev.liffey.cdk.fleet.AgentService;
import dev.liffey.cdk.fleet.BootCompletion;
import dev.liffey.cdk.fleet.UserDataScript;
import java.util.List;
import software.amazon.awscdk.services.ec2.UserData;

/**
 * What a GPU transcoder does at first boot (the Deep Learning Base OSS NVIDIA Driver AMI, Ubuntu
 * 24.04: the driver is in the image): installs FFmpeg (Ubuntu's, built with NVENC: H.264, H.265 and
 * AV1), Java 17 and, where the image lacks it, the AWS CLI; downloads the edge agent's jar and runs
 * its {@code transcoder} command as {@code liffey-transcoder.service}, with NVENC; and tells Auto
 * Scaling it has booted once the agent answers ({@link BootCompletion}). The agent encodes a frame
 * with NVENC before it starts and exits when it cannot (no driver, no GPU), so a transcoder that
 * could not transcode never completes its boot hook: it is abandoned and replaced, never put in
 * service or in the warm pool.
 *
 * <p>Nothing is read once for all at boot: the agent takes its private address, instance id and
 * type from IMDS at every start, so a transcoder from the warm pool starts as a new one would.
 */
final class TranscoderBoot {
  static final String AGENT_JAR = "/opt/liffey/liffey-edge.jar";
  static final String LOGS = "/var/log/liffey-transcoder";

  /**
   * How long, from its start, {@code liffey-boot-complete} waits for the agent's {@code /health}:
   * the agent's start includes its one-frame NVENC check.
   */
  static final int READY_WAIT_SECONDS = 180;

  /**
   * @param regionId the transcoder's region, the agent's {@code --region}
   * @param slots the GPU type's full-ladder slots ({@code streamsPerInstance})
   * @param preferTypes the region's GPU types, most preferred first ({@code --prefer-types})
   * @param agentJarS3Url where the agent's jar was published ({@code s3://bucket/key}, tokens
   *     allowed)
   * @param tableName the control table: ladder plans, the registry
   * @param tableRegion the control table's region
   */
  record Agent(
      String regionId,
      int slots,
      List<String> preferTypes,
      String agentJarS3Url,
      String tableName,
      String tableRegion) {}

  private TranscoderBoot() {}

  static UserData userData(Agent agent) {
    return UserDataScript.of(script(agent));
  }

  /** The launch hook's completer: the agent's /health answers once it serves. */
  static BootCompletion.Spec bootCompletion(String regionId) {
    return new BootCompletion.Spec(
        "transcoder",
        TranscodeStack.BOOT_HOOK_NAME,
        regionId,
        "  curl -fs -o /dev/null http://127.0.0.1:{{PORT}}/health"
            .replace("{{PORT}}", String.valueOf(TranscodeStack.AGENT_PORT)),
        "the transcoder agent",
        READY_WAIT_SECONDS,
        "liffey-transcoder.service");
  }

  /** The boot script, without the shebang {@link UserData#forLinux()} adds. */
  static String script(Agent agent) {
    return """
        set -euo pipefail
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y ffmpeg openjdk-17-jre-headless curl
        # The Deep Learning AMIs carry the AWS CLI; an image without it gets AWS's snap.
        command -v aws >/dev/null || snap install aws-cli --classic

        id liffey >/dev/null 2>&1 \\
          || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin liffey
        # NVENC is reached through /dev/nvidia*; the video group holds them where they are not 666.
        usermod -a -G video liffey
        install -d -m 755 /opt/liffey
        install -d -m 750 -o liffey -g liffey {{LOGS}}

        aws s3 cp --region {{REGION}} --only-show-errors '{{JAR_URL}}' {{JAR}}
        chmod 644 {{JAR}}

        cat > /etc/systemd/system/liffey-transcoder.service <<'UNIT'
        [Unit]
        Description=Liffey transcoder agent: SRT ingest, FFmpeg ladders on NVENC, relays' feeds, drain
        Wants=network-online.target
        After=network-online.target
        StartLimitIntervalSec=0

        [Service]
        User=liffey
        Group=liffey
        Environment=AWS_REGION={{REGION}}
        ExecStart=/usr/bin/java -jar {{JAR}} transcoder \\
          --listen 0.0.0.0:{{PORT}} \\
          --region {{REGION}} \\
          --slots {{SLOTS}} \\
          --prefer-types {{PREFER}} \\
          --encoder nvenc-h264 \\
          --ingest-ports {{INGEST_FROM}}-{{INGEST_TO}} \\
          --control-table {{TABLE}} --control-region {{TABLE_REGION}} \\
          --lifecycle-hook {{HOOK}} \\
          --logs {{LOGS}}
        {{RESTART_AND_SANDBOX}}
        ReadWritePaths={{LOGS}}

        [Install]
        WantedBy=multi-user.target
        UNIT

        {{BOOT_COMPLETER}}
        systemctl daemon-reload
        systemctl enable liffey-transcoder.service
        systemctl restart liffey-transcoder.service
        # Last: only a transcoder whose install got this far (set -e) tells Auto Scaling it has booted.
        systemctl enable liffey-boot-complete.service
        systemctl start liffey-boot-complete.service
        """
        .replace("{{RESTART_AND_SANDBOX}}", AgentService.RESTART_AND_SANDBOX)
        .replace("{{BOOT_COMPLETER}}", BootCompletion.writeBoth(bootCompletion(agent.regionId())))
        .replace("{{REGION}}", agent.regionId())
        .replace("{{SLOTS}}", String.valueOf(agent.slots()))
        .replace("{{PREFER}}", String.join(",", agent.preferTypes()))
        .replace("{{TABLE}}", agent.tableName())
        .replace("{{TABLE_REGION}}", agent.tableRegion())
        .replace("{{HOOK}}", TranscodeStack.DRAIN_HOOK_NAME)
        .replace("{{PORT}}", String.valueOf(TranscodeStack.AGENT_PORT))
        .replace("{{INGEST_FROM}}", String.valueOf(TranscodeStack.SRT_INGEST_PORTS_FROM))
        .replace("{{INGEST_TO}}", String.valueOf(TranscodeStack.SRT_INGEST_PORTS_TO))
        .replace("{{JAR}}", AGENT_JAR)
        .replace("{{JAR_URL}}", agent.agentJarS3Url())
        .replace("{{LOGS}}", LOGS);
  }
}
