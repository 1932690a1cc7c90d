package dev.liffey.edge.transcode;

import dev.liffey.core.media.H264Rendition;
import dev.liffey.core.media.Ladder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * FFmpeg's command for one live stream's ABR ladder: the source decoded once, scaled to each rung
 * and encoded by the instance's encoder, one output per rendition. Low latency throughout: no
 * B-frames, a keyframe every {@link #KEYFRAME_SECONDS}, constant frame rate. The first piece of the
 * transcoder agent (issue 14): the agent, ingest and delivery to the relays are still to come.
 * Stateless.
 */
public final class LadderEncoder {
  /**
   * A viewer joining mid-stream, or moved by its relay to another rendition, waits at most this for
   * a keyframe: 1 s keeps a move under the 2 s a viewer would call a stall, for a few percent more
   * bits than a 2 s interval.
   */
  public static final int KEYFRAME_SECONDS = 1;

  /**
   * Bitrate per rung, kbit/s: Apple's HLS authoring specification's H.264 ladder at 30 fps (1080p
   * 6000, 720p 3000, 360p 730), with 480p between its 540p (2000) and 432p (1100) rungs.
   */
  static final Map<Integer, Integer> KBPS = Map.of(1080, 6000, 720, 3000, 480, 1100, 360, 730);

  /**
   * The encoder a transcoder instance has: x264 anywhere, or the GPU's NVENC for H.264 (the L4,
   * A10G and T4 all have it; the source is still decoded and scaled on the CPU, and AV1 on the L4
   * needs an FFmpeg newer than Debian 12's 5.1).
   */
  public enum Encoder {
    /** No GPU: x264 at its real-time settings. */
    SOFTWARE_H264("x264", "libx264", List.of("-preset", "veryfast", "-tune", "zerolatency")),
    /** NVIDIA's NVENC: low-latency tuning, no reordering, every keyframe an IDR. */
    NVENC_H264(
        "nvenc-h264",
        "h264_nvenc",
        List.of("-preset", "p2", "-tune", "ll", "-zerolatency", "1", "-forced-idr", "1"));

    private final String flag;
    private final String codec;
    private final List<String> options;

    Encoder(String flag, String codec, List<String> options) {
      this.flag = flag;
      this.codec = codec;
      this.options = options;
    }

    /** FFmpeg's name for it. */
    public String codec() {
      return codec;
    }

    /** Its name on the transcoder's command line. */
    public String flag() {
      return flag;
    }

    /** The encoder a command line names; empty when none is. */
    public static Optional<Encoder> byFlag(String flag) {
      return Arrays.stream(values()).filter(e -> e.flag.equals(flag)).findFirst();
    }

    /**
     * Whether FFmpeg can encode with it on this machine: one small frame, as the ladder would.
     *
     * @return FFmpeg's last word when it cannot
     */
    public Optional<String> problem() {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "ffmpeg",
                  "-hide_banner",
                  "-nostdin",
                  "-loglevel",
                  "error",
                  "-f",
                  "lavfi",
                  "-i",
                  "color=size=256x144:rate=10",
                  "-frames:v",
                  "1",
                  "-c:v",
                  codec));
      cmd.addAll(options);
      cmd.addAll(List.of("-pix_fmt", "yuv420p", "-f", "null", "-"));
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return Optional.of("FFmpeg did not encode one frame in 30 s");
        }
        if (p.exitValue() == 0) {
          return Optional.empty();
        }
        return Optional.of(
            out.lines()
                .map(l -> l.replaceFirst("^\\[[^]]+] ", "").strip()) // [h264_nvenc @ 0x..]
                .filter(l -> !l.isEmpty())
                .reduce((a, b) -> a + "; " + b)
                .orElse("FFmpeg exited " + p.exitValue()));
      } catch (IOException e) {
        return Optional.of("FFmpeg not run: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted");
      }
    }
  }

  /** Where one rendition goes: an FFmpeg output format and URL (RTP to the relays, in service). */
  public record Output(String format, String url) {}

  /** Where each rendition of the ladder goes. */
  @FunctionalInterface
  public interface Outputs {
    Output forHeight(int height);
  }

  private LadderEncoder() {}

  /**
   * @param input FFmpeg's input arguments for the source (its {@code -i} and what precedes it)
   * @param frameRate the source's frame rate, for the keyframe interval
   * @param durationSeconds stop after this long; 0: run until the source ends
   */
  public static List<String> command(
      List<String> input,
      Ladder ladder,
      Encoder encoder,
      int frameRate,
      int durationSeconds,
      Outputs outputs) {
    List<Integer> rungs = ladder.rungs();
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y"));
    cmd.addAll(List.of("-loglevel", "warning"));
    cmd.addAll(input);
    StringBuilder graph = new StringBuilder("[0:v]split=" + rungs.size());
    for (int i = 0; i < rungs.size(); i++) {
      graph.append("[s").append(i).append(']');
    }
    for (int i = 0; i < rungs.size(); i++) {
      // -2: the width that keeps the aspect ratio, rounded to even as encoders need.
      graph
          .append(";[s")
          .append(i)
          .append("]scale=-2:")
          .append(rungs.get(i))
          .append("[r")
          .append(i)
          .append(']');
    }
    cmd.addAll(List.of("-filter_complex", graph.toString()));
    for (int i = 0; i < rungs.size(); i++) {
      int height = rungs.get(i);
      int kbps = KBPS.get(height);
      cmd.addAll(List.of("-map", "[r" + i + "]", "-c:v", encoder.codec));
      cmd.addAll(encoder.options);
      cmd.addAll(
          List.of(
              // What the relays' mountpoints announce (H264Rendition): Constrained Baseline, which
              // every WebRTC browser decodes, at the rung's level.
              "-profile:v",
              "baseline",
              "-level:v",
              H264Rendition.level(height),
              "-bf",
              "0",
              "-g",
              String.valueOf(frameRate * KEYFRAME_SECONDS),
              "-pix_fmt",
              "yuv420p",
              "-b:v",
              kbps + "k",
              "-maxrate",
              kbps + "k",
              "-bufsize",
              kbps / 2 + "k",
              "-fps_mode",
              "cfr",
              "-r",
              String.valueOf(frameRate)));
      if (durationSeconds > 0) {
        cmd.addAll(List.of("-t", String.valueOf(durationSeconds)));
      }
      Output out = outputs.forHeight(height);
      cmd.addAll(List.of("-f", out.format(), out.url()));
    }
    return List.copyOf(cmd);
  }
}
