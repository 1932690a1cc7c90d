package dev.liffey.edge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.media.Ladder;
import dev.liffey.edge.transcode.LadderEncoder.Encoder;
import dev.liffey.edge.transcode.LadderEncoder.Output;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderEncoderTest {
  private static List<String> command(Ladder ladder, Encoder encoder) {
    return LadderEncoder.command(
        List.of("-i", "srt://0.0.0.0:9000?mode=listener"),
        ladder,
        encoder,
        30,
        0,
        h -> new Output("rtp", "rtp://10.40.1.5:" + (5000 + h)));
  }

  @Test
  void theSourceIsDecodedOnce_andEachRungScaledAndEncodedToItsOwnOutput() {
    List<String> cmd = command(Ladder.FROM_720, Encoder.SOFTWARE_H264);

    assertThat(Collections.frequency(cmd, "-i")).isOne();
    assertThat(cmd)
        .containsSubsequence(
            "-filter_complex",
            "[0:v]split=3[s0][s1][s2];[s0]scale=-2:720[r0];[s1]scale=-2:480[r1];[s2]scale=-2:360[r2]")
        .containsSubsequence(
            "-map", "[r0]", "-c:v", "libx264", "-b:v", "3000k", "rtp://10.40.1.5:5720")
        .containsSubsequence(
            "-map", "[r2]", "-c:v", "libx264", "-b:v", "730k", "rtp://10.40.1.5:5360")
        .doesNotContain("rtp://10.40.1.5:6080");
    // A keyframe every 2 s at 30 fps, no B-frames: what WebRTC viewers can start from at once.
    assertThat(Collections.frequency(cmd, "-g")).isEqualTo(3);
    assertThat(cmd).containsSubsequence("-bf", "0", "-g", "30"); // a keyframe a second at 30 fps
  }

  @Test
  void theShortestLadderHasTwoRungs() {
    assertThat(command(Ladder.FROM_480, Encoder.SOFTWARE_H264))
        .containsSubsequence(
            "-filter_complex", "[0:v]split=2[s0][s1];[s0]scale=-2:480[r0];[s1]scale=-2:360[r1]")
        .containsSubsequence("-b:v", "1100k", "rtp://10.40.1.5:5480")
        .containsSubsequence("-b:v", "730k", "rtp://10.40.1.5:5360");
  }
}
