package dev.liffey.edge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.media.Ladder;
import dev.liffey.edge.transcode.LadderEncoder.Encoder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One live stream through a transcoder for real: a studio's FFmpeg sends H.265 over SRT, the
 * transcoder's FFmpeg encodes the ladder with x264, and each rendition's RTP reaches a UDP socket
 * standing where a relay's mountpoint would be. Ladder changes happen mid-stream, as the control
 * table orders them. Needs {@code ffmpeg} with libx265 and SRT (Debian's; {@code .ci/run} installs
 * it).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StreamTranscoderFfmpegTest {
  /** Frames a second of the studio's feed: low, so two encoders fit on a 2-core machine. */
  private static final int FPS = 10;

  /** A relay's mountpoint for one rendition: the frames it receives (RTP marker bit) and when. */
  private static final class Mountpoint implements AutoCloseable {
    final DatagramSocket socket;
    final List<Long> frames = new ArrayList<>();

    /** Frames received per RTP source. */
    final Map<Long, Integer> framesBySsrc = new HashMap<>();

    Mountpoint() throws IOException {
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                while (true) {
                  try {
                    p.setLength(buf.length);
                    socket.receive(p);
                  } catch (IOException closed) {
                    return;
                  }
                  long ssrc =
                      ((buf[8] & 0xffL) << 24)
                          | ((buf[9] & 0xffL) << 16)
                          | ((buf[10] & 0xffL) << 8)
                          | (buf[11] & 0xffL);
                  boolean endOfFrame = (buf[1] & 0x80) != 0;
                  synchronized (this) {
                    framesBySsrc.putIfAbsent(ssrc, 0);
                    if (endOfFrame) {
                      frames.add(System.nanoTime());
                      framesBySsrc.merge(ssrc, 1, Integer::sum);
                    }
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    synchronized int frameCount() {
      return frames.size();
    }

    /**
     * The RTP sources that sent at least a second of frames: an encoder's stream, not a few stray
     * packets a closed socket's port got from a sender that had not yet stopped.
     */
    synchronized Set<Long> streamingSsrcs() {
      Set<Long> out = new HashSet<>();
      framesBySsrc.forEach(
          (ssrc, n) -> {
            if (n >= FPS) {
              out.add(ssrc);
            }
          });
      return out;
    }

    /** The longest wait between two frames since {@code fromNanos}, to the last frame. */
    synchronized Duration longestGapSince(long fromNanos) {
      long longest = 0;
      long previous = fromNanos;
      for (long f : frames) {
        if (f >= fromNanos) {
          longest = Math.max(longest, f - previous);
          previous = f;
        }
      }
      return Duration.ofNanos(longest);
    }

    synchronized long lastFrameNanos() {
      return frames.isEmpty() ? 0 : frames.get(frames.size() - 1);
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** A UDP port free now on 127.0.0.1: SRT runs over UDP. */
  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The studio's encoder: a 720p test pattern as H.265, calling the transcoder over SRT. */
  static Process studio(int port, Path dir, int fps) throws IOException {
    return new ProcessBuilder(
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "warning",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1280x720:rate=" + fps,
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-tune",
            "zerolatency",
            "-x265-params",
            "keyint=" + fps + ":log-level=warning",
            "-f",
            "mpegts",
            "srt://127.0.0.1:" + port + "?mode=caller&latency=120000")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("studio.log").toFile())
        .start();
  }

  private static void await(String what, java.util.function.BooleanSupplier done, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }

  /**
   * A stream live through a transcoder: a mountpoint per rendition of the full ladder, the studio
   * calling, and frames on every rendition before it is handed to the test.
   */
  private static final class Live implements AutoCloseable {
    final Map<Integer, Mountpoint> relay = new HashMap<>();
    final StreamTranscoder stream;
    private final Process studio;

    Live(String name, Path dir) throws Exception {
      for (int h : Ladder.FULL.rungs()) {
        relay.put(h, new Mountpoint());
      }
      int port = freeUdpPort();
      stream =
          new StreamTranscoder(
              name,
              new InetSocketAddress("127.0.0.1", port),
              Ladder.FULL,
              new StreamTranscoder.Settings(Encoder.SOFTWARE_H264, FPS, dir));
      relay.forEach((h, m) -> stream.setDestinations(h, List.of(m.address())));
      Thread.sleep(500); // the SRT listener up before the studio calls
      studio = studio(port, dir, FPS);
      await(
          "frames on every rendition of the full ladder",
          () -> relay.values().stream().allMatch(m -> m.frameCount() >= 2 * FPS),
          Duration.ofSeconds(30));
    }

    @Override
    public void close() {
      studio.destroy();
      stream.close();
      relay.values().forEach(Mountpoint::close);
    }
  }

  @Test
  void aLadderChangeKeepsEveryRemainingRenditionFlowing_andTheFullLadderComesBack(@TempDir Path dir)
      throws Exception {
    try (Live live = new Live("match-1", dir)) {
      StreamTranscoder stream = live.stream;
      Map<Integer, Mountpoint> relay = live.relay;
      long shortenedAt = System.nanoTime();
      Duration shortening = stream.setLadder(Ladder.FROM_720).get(30, TimeUnit.SECONDS);
      Thread.sleep(3_000);
      for (int h : Ladder.FROM_720.rungs()) {
        Mountpoint m = relay.get(h);
        assertThat(m.streamingSsrcs()).as(h + "p: from the second encoder").hasSize(2);
        assertThat(m.longestGapSince(shortenedAt))
            .as(h + "p: no gap through the switch (a frame every 100 ms)")
            .isLessThan(Duration.ofSeconds(2));
        assertThat(m.lastFrameNanos()).isGreaterThan(System.nanoTime() - 1_000_000_000L);
      }
      int at1080 = relay.get(1080).frameCount();
      Thread.sleep(1_000);
      assertThat(relay.get(1080).frameCount())
          .as("1080p dropped from the ladder")
          .isEqualTo(at1080);
      assertThat(stream.renditions()).containsExactly(720, 480, 360);

      long restoredAt = System.nanoTime();
      Duration restoring = stream.setLadder(Ladder.FULL).get(30, TimeUnit.SECONDS);
      await(
          "1080p back", () -> relay.get(1080).frameCount() > at1080 + FPS, Duration.ofSeconds(10));
      assertThat(relay.get(720).longestGapSince(restoredAt)).isLessThan(Duration.ofSeconds(2));
      assertThat(stream.renditions()).containsExactly(1080, 720, 480, 360);
      System.out.printf(
          "ladder switch: to 720/480/360 in %d ms, longest frame gap %d ms; back to full in %d ms,"
              + " longest gap %d ms%n",
          shortening.toMillis(),
          relay.get(720).longestGapSince(shortenedAt).toMillis(),
          restoring.toMillis(),
          relay.get(720).longestGapSince(restoredAt).toMillis());
    }
  }

  @Test
  void aChangeOrderedWhileTheLastIsStillStarting_endsOnTheLatestLadder_everyRenditionFlowing(
      @TempDir Path dir) throws Exception {
    try (Live live = new Live("match-2", dir)) {
      StreamTranscoder stream = live.stream;
      Map<Integer, Mountpoint> relay = live.relay;
      var shorter = stream.setLadder(Ladder.FROM_480);
      var back = stream.setLadder(Ladder.FULL); // the shortage was a blip
      shorter.get(30, TimeUnit.SECONDS);
      back.get(30, TimeUnit.SECONDS);

      assertThat(stream.ladder()).isEqualTo(Ladder.FULL);
      assertThat(stream.renditions()).containsExactly(1080, 720, 480, 360);
      Map<Integer, Integer> counts = new HashMap<>();
      relay.forEach((h, m) -> counts.put(h, m.frameCount()));
      Thread.sleep(1_500);
      relay.forEach(
          (h, m) -> assertThat(m.frameCount()).as(h + "p flowing").isGreaterThan(counts.get(h)));
    }
  }
}
