package dev.liffey.edge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.media.H264Rendition;
import dev.liffey.core.media.Ladder;
import dev.liffey.edge.transcode.LadderEncoder.Encoder;
import dev.liffey.edge.transcode.LadderEncoder.Output;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transcoder's FFmpeg ladder, run for real with the software encoder (no GPU here): every rung
 * at its height from one 1080p source, and what each ladder costs in CPU. Needs {@code ffmpeg} and
 * {@code ffprobe} on the PATH (Debian's {@code ffmpeg} package; {@code .ci/run} installs it).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LadderEncoderFfmpegTest {
  /** A 1080p studio feed at 30 fps (a test pattern), for {@code seconds}; {@code -re}: live. */
  private static List<String> studio(boolean live) {
    List<String> in = List.of("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30");
    return live ? concat(List.of("-re"), in) : in;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void everyRungOfEveryLadderComesOutAtItsHeight_asH264_fromOneDecode(@TempDir Path dir)
      throws Exception {
    for (Ladder ladder : Ladder.values()) {
      run(
          LadderEncoder.command(
              studio(false),
              ladder,
              Encoder.SOFTWARE_H264,
              30,
              2,
              h -> new Output("mpegts", dir.resolve(ladder + "-" + h + ".ts").toString())));
      for (int height : ladder.rungs()) {
        String probe =
            run(
                List.of(
                    "ffprobe",
                    "-v",
                    "error",
                    "-select_streams",
                    "v:0",
                    "-count_frames",
                    "-show_entries",
                    "stream=codec_name,profile,level,width,height,nb_read_frames",
                    "-of",
                    "csv=p=0",
                    dir.resolve(ladder + "-" + height + ".ts").toString()));
        int width = (int) Math.round(height * 16 / 9.0);
        width += width & 1;
        // An MPEG-TS file lists its stream twice: on its own and in its program. The profile and
        // level are what the relays' mountpoints announce (H264Rendition).
        assertThat(probe.strip().lines().findFirst().orElse(""))
            .as(ladder + " " + height)
            .isEqualTo(
                "h264,Constrained Baseline,"
                    + width
                    + ","
                    + height
                    + ","
                    + H264Rendition.levelIdc(height)
                    + ",60");
      }
    }
  }

  /**
   * Each ladder encoded live for 8 s; the CPU its whole encode used, per second of video. Shorter
   * ladders must cost less, roughly as their pixel rates say; the figures go to the README. The
   * work of the whole encode, not its rate over a window: on a busy machine a ladder that cannot
   * keep up uses what CPU there is either way, and a rate would read the same for every ladder.
   */
  @Test
  void aShorterLadderCostsLessCpu_roughlyAsItsPixelRate(@TempDir Path dir) throws Exception {
    Map<Ladder, Double> cores = new EnumMap<>(Ladder.class);
    for (Ladder ladder : Ladder.values()) {
      Process p =
          new ProcessBuilder(
                  LadderEncoder.command(
                      studio(true),
                      ladder,
                      Encoder.SOFTWARE_H264,
                      30,
                      8,
                      h -> new Output("mpegts", dir.resolve(ladder + "-" + h + ".ts").toString())))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(ladder + ".log").toFile())
              .start();
      // Read while it lives (the class's timeout bounds this): a finished process has no CPU time.
      Duration used = Duration.ZERO;
      while (p.isAlive()) {
        used = cpuSoFar(p, used);
        Thread.sleep(50);
      }
      assertThat(p.exitValue()).as(ladder + ": see " + dir.resolve(ladder + ".log")).isZero();
      cores.put(ladder, used.toNanos() / 1e9 / 8);
    }
    System.out.printf("[liffey-it] ladder CPU (x264 veryfast, 1080p30 source, cores): %s%n", cores);
    assertThat(cores.get(Ladder.FROM_720)).isLessThan(cores.get(Ladder.FULL));
    assertThat(cores.get(Ladder.FROM_480)).isLessThan(cores.get(Ladder.FROM_720));
  }

  /** The process's CPU time so far, user and system; {@code known} once it has gone. */
  private static Duration cpuSoFar(Process p, Duration known) {
    return p.info().totalCpuDuration().orElse(known);
  }

  @Test
  void x264EncodesHere_soTheAgentsStartCheckPassesIt() {
    assertThat(Encoder.SOFTWARE_H264.problem()).isEmpty();
    assertThat(Encoder.byFlag("nvenc-h264")).contains(Encoder.NVENC_H264);
    assertThat(Encoder.byFlag("av1")).isEmpty();
  }
}
