package dev.liffey.it.edge;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;

/**
 * A live stream as a transcoder would send it to its region's relays: FFmpeg encodes a test pattern
 * (H.264 baseline, payload 96) and a tone (Opus, 111) as RTP once, and every packet is copied to
 * each relay's mountpoint ports.
 */
final class TestFeed implements AutoCloseable {
  private final Process ffmpeg;
  private final List<DatagramSocket> sockets;

  /**
   * @param relays each relay's Janus, whose mountpoint receives the stream
   */
  TestFeed(Path dir, List<JanusServer> relays) throws IOException {
    DatagramSocket video = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    DatagramSocket audio = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    sockets = List.of(video, audio);
    copy(video, relays.stream().map(j -> j.videoPort).toList());
    copy(audio, relays.stream().map(j -> j.audioPort).toList());
    ffmpeg =
        new ProcessBuilder(
                "ffmpeg",
                "-hide_banner",
                "-loglevel",
                "warning",
                "-nostdin",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=640x360:rate=30",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-map",
                "0:v",
                "-c:v",
                "libx264",
                "-profile:v",
                "baseline",
                "-pix_fmt",
                "yuv420p",
                "-tune",
                "zerolatency",
                "-preset",
                "veryfast",
                "-g",
                "30",
                "-b:v",
                "1M",
                "-payload_type",
                "96",
                "-f",
                "rtp",
                "rtp://127.0.0.1:" + video.getLocalPort() + "?pkt_size=1200",
                "-map",
                "1:a",
                "-c:a",
                "libopus",
                "-ar",
                "48000",
                "-ac",
                "2",
                "-b:a",
                "64k",
                "-payload_type",
                "111",
                "-f",
                "rtp",
                "rtp://127.0.0.1:" + audio.getLocalPort())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ffmpeg.log").toFile())
            .start();
  }

  private static void copy(DatagramSocket in, List<Integer> ports) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[2048];
              DatagramPacket p = new DatagramPacket(buf, buf.length);
              try {
                while (true) {
                  in.receive(p);
                  for (int port : ports) {
                    in.send(
                        new DatagramPacket(
                            buf,
                            p.getLength(),
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                  }
                  p.setLength(buf.length);
                }
              } catch (SocketException closed) {
                // the feed stopped
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            "feed-" + in.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    ffmpeg.destroy();
    sockets.forEach(DatagramSocket::close);
  }
}
