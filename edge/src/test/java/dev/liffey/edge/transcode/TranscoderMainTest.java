package dev.liffey.edge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.edge.TestFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transcoder agent's flags: a bad one is exit 2 and one line naming it; nothing starts. */
class TranscoderMainTest {
  @TempDir Path dir;

  private TestFlags.Run run(String... replace) {
    return TestFlags.run(
        TranscoderMain::run,
        List.of(
            "--region", "eu-west-1",
            "--advertise-host", "10.0.3.9",
            "--slots", "10",
            "--control-table", "liffey-control",
            "--control-region", "eu-west-1",
            "--instance-type", "g6.2xlarge",
            "--logs", dir.toString()),
        replace);
  }

  @Test
  void badFlagsAreExitTwo_withOneLineNamingTheFlagAndTheFix() {
    assertThat(run("--ingest-ports", "80-90"))
        .isEqualTo(
            new TestFlags.Run(
                2,
                "liffey-edge transcoder: --ingest-ports 80-90: a range within 1024-65535, like"
                    + " 9000-9099"));
    assertThat(run("--ingest-ports", "nine"))
        .extracting(TestFlags.Run::err)
        .asString()
        .contains("FIRST-LAST, like 9000-9099");
    assertThat(run("--listen", "nowhere").err())
        .isEqualTo("liffey-edge transcoder: --listen nowhere: write HOST:PORT, like 0.0.0.0:7080");
    assertThat(run("--slots", "0").err()).contains("--slots 0.0: at least one full-ladder slot");
    assertThat(run("--poll", "1m").err())
        .contains(
            "--poll 60000ms and --relay-lease 30000ms: both positive, the lease longer than the poll");
    assertThat(run("--prefer-types", "g6.2xlarge,L4").err())
        .isEqualTo(
            "liffey-edge transcoder: --prefer-types L4: an EC2 instance type, like g6.2xlarge");
    assertThat(run("--drain-max", "0s").err())
        .contains("--drain-max and --heartbeat-interval: both positive");
    assertThat(run("--encoder", "nvenc").err())
        .isEqualTo("liffey-edge transcoder: --encoder nvenc: x264 or nvenc-h264");
    assertThat(run("--poll", "soon").err())
        .startsWith("liffey-edge transcoder: Invalid value for option '--poll'")
        .contains("like 10s, 5m or 2h");
  }

  @Test
  void nvencOnAMachineWithoutAnNvidiaGpu_isRefusedAtStart_withFfmpegsReason() {
    Assumptions.assumeFalse(
        Files.exists(Path.of("/dev/nvidiactl")), "this machine has an NVIDIA GPU");
    TestFlags.Run r = run("--encoder", "nvenc-h264");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            "liffey-edge transcoder: --encoder nvenc-h264: FFmpeg cannot encode with h264_nvenc on"
                + " this machine (")
        .endsWith("it needs an NVIDIA GPU, its driver and an FFmpeg built with NVENC")
        .doesNotContain("\n");
  }
}
