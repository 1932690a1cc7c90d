package dev.liffey.edge.transcode;

import dev.liffey.core.media.Ladder;
import dev.liffey.edge.transcode.LadderEncoder.Encoder;
import dev.liffey.edge.transcode.LadderEncoder.Output;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream on a transcoder: the studio's feed received over SRT (this end listens, the
 * studio's encoder calls), its ABR ladder encoded by FFmpeg ({@link LadderEncoder}), and each
 * rendition's RTP copied to the relays' mountpoints ({@link UdpFanout}).
 *
 * <p>The feed is received once, by an FFmpeg that only repackages it (SRT to MPEG-TS over UDP on
 * 127.0.0.1), and copied to each encoder reading it. A ladder change starts a second encoder on the
 * new ladder beside the first; each rendition switches to it at its first packet (a keyframe), and
 * once every rendition of the new ladder has, the first encoder stops. The relays keep receiving
 * every rendition that remains, with no gap; a rung the new ladder drops stops. An encoder that
 * dies is started again; so is the SRT listener when the studio disconnects (it calls again).
 * Thread-safe.
 */
public final class StreamTranscoder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamTranscoder.class);

  /**
   * How long a new encoder has to send every rendition before the change is given up: its start
   * (under a second), the source's next keyframe (the studio's GOP, 2 s at most by our ingest
   * contract), and room on a loaded machine.
   */
  public static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(15);

  /**
   * The longest keyframe interval a studio may send (the ingest contract): a new encoder waits for
   * the source's next keyframe before its first frame.
   */
  public static final Duration MAX_GOP = Duration.ofSeconds(2);

  /**
   * How long a replaced encoder keeps running once the new one has every rendition: a rung the new
   * ladder drops keeps flowing while the relays, which poll every few seconds, move its viewers to
   * a rendition that remains.
   */
  public static final Duration RUNG_GRACE = Duration.ofSeconds(5);

  /**
   * How much of a feed FFmpeg reads before it starts (the SRT listener copying the studio's, an
   * encoder the copy): enough for the stream's type, which the PMT names; measured on this machine,
   * 0.3 s instead of 2 s brought a new encoder's first packet from 3.2 s to 1.4 s.
   */
  static final Duration PROBE = Duration.ofMillis(300);

  /** Before an encoder or the SRT listener that exited is started again. */
  static final Duration RESTART_AFTER = Duration.ofSeconds(1);

  /**
   * @param encoder this instance's encoder
   * @param frameRate the studios' frame rate, for the keyframe interval
   * @param logs where FFmpeg's own lines go, one file per process
   */
  public record Settings(Encoder encoder, int frameRate, Path logs) {}

  /** One encoder process on one ladder, and the local port it reads the source from. */
  private record Generation(int id, Ladder ladder, Process process, int inputPort) {}

  private final String name;
  private final InetSocketAddress ingest;
  private final Settings settings;
  private final UdpFanout source;
  private final int sourcePort;
  private final Map<Integer, UdpFanout> renditions = new ConcurrentHashMap<>();
  private final Map<Integer, List<InetSocketAddress>> destinations = new ConcurrentHashMap<>();
  private final Map<Integer, Generation> live = new ConcurrentHashMap<>();
  private volatile List<Integer> delivering;
  private Process receiver;
  private Generation current;
  private Ladder ladder;
  private int nextGeneration;
  private boolean closed;

  /**
   * Starts listening for the studio and encoding on {@code ladder}.
   *
   * @param ingest where the studio's encoder sends its SRT feed
   */
  public StreamTranscoder(String name, InetSocketAddress ingest, Ladder ladder, Settings settings) {
    this.name = name;
    this.ingest = ingest;
    this.settings = settings;
    this.source = new UdpFanout(name + " source");
    this.sourcePort = source.addSource(0);
    synchronized (this) {
      this.ladder = ladder;
      this.delivering = ladder.rungs();
      this.current = start(ladder);
      this.receiver = receive();
    }
  }

  public String name() {
    return name;
  }

  /** Where the studio's encoder calls: {@code srt://host:port?mode=caller}. */
  public InetSocketAddress ingest() {
    return ingest;
  }

  /** The ladder asked for last (the encoder on it may still be starting). */
  public synchronized Ladder ladder() {
    return ladder;
  }

  /** Where rendition {@code height}'s RTP goes: each relay's mountpoint port for it. */
  public void setDestinations(int height, List<InetSocketAddress> to) {
    destinations.put(height, List.copyOf(to));
    UdpFanout f = renditions.get(height);
    if (f != null) {
      f.setDestinations(to);
    }
  }

  /** RTP packets of rendition {@code height} sent so far (0 when it is not on the ladder). */
  public long packetsSent(int height) {
    UdpFanout f = renditions.get(height);
    return f == null ? 0 : f.forwarded();
  }

  /**
   * Moves the stream to {@code next} without a gap for the renditions that remain.
   *
   * @return completes with how long the switch took once the old encoder has stopped (at once for
   *     the ladder already asked for), or exceptionally when the new encoder sent nothing in {@link
   *     #SWITCH_TIMEOUT} (then the old one keeps the stream)
   */
  public synchronized CompletableFuture<Duration> setLadder(Ladder next) {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    if (next == ladder) {
      return CompletableFuture.completedFuture(Duration.ZERO);
    }
    log.info(
        "{}: ladder {} -> {}: starting an encoder on {}",
        name,
        ladder.label(),
        next.label(),
        next.label());
    Generation old = current;
    Generation fresh = start(next);
    current = fresh;
    ladder = next;
    long started = System.nanoTime();
    return CompletableFuture.supplyAsync(
        () -> {
          if (!awaitSwitch(fresh)) {
            abandon(fresh, old);
            throw new IllegalStateException(
                name
                    + ": the encoder on "
                    + next.label()
                    + " sent nothing in "
                    + SWITCH_TIMEOUT.toSeconds()
                    + " s; kept "
                    + old.ladder().label()
                    + " (see "
                    + log(fresh)
                    + ")");
          }
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          synchronized (this) {
            if (ladder == next) {
              delivering = next.rungs();
            }
          }
          sleep(RUNG_GRACE); // the relays move the dropped rung's viewers meanwhile
          retire(old);
          log.info(
              "{}: on {} after {} ms; the encoder on {} stopped",
              name,
              next.label(),
              took.toMillis(),
              old.ladder().label());
          return took;
        });
  }

  /** True once every rendition of {@code g}'s ladder is copied from {@code g}. */
  private boolean awaitSwitch(Generation g) {
    long deadline = System.nanoTime() + SWITCH_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int h : g.ladder().rungs()) {
        UdpFanout f = renditions.get(h);
        all &= f != null && f.activeGeneration() >= g.id();
      }
      if (all) {
        return true;
      }
      if (!g.process().isAlive()) {
        return false;
      }
      sleep(Duration.ofMillis(50));
    }
    return false;
  }

  /**
   * Stops {@code old}; renditions the ladder asked for last does not have stop with it (not those
   * of the ladder this switch was for: a newer change may already want them back).
   */
  private synchronized void retire(Generation old) {
    stop(old);
    for (int h : old.ladder().rungs()) {
      if (!ladder.rungs().contains(h)) {
        UdpFanout gone = renditions.remove(h);
        if (gone != null) {
          gone.close();
        }
      }
    }
  }

  /** The new encoder failed: it goes, and the stream stays on {@code old}. */
  private synchronized void abandon(Generation fresh, Generation old) {
    stop(fresh);
    if (current == fresh) {
      current = old;
      ladder = old.ladder();
    }
  }

  private Generation start(Ladder on) {
    int id = nextGeneration++;
    int input = freeUdpPort();
    Map<Integer, Integer> ports = new HashMap<>();
    for (int h : on.rungs()) {
      UdpFanout f =
          renditions.computeIfAbsent(
              h,
              x -> {
                UdpFanout n = new UdpFanout(name + " " + x + "p");
                n.setDestinations(destinations.getOrDefault(x, List.of()));
                return n;
              });
      ports.put(h, f.addSource(id));
    }
    List<String> command =
        LadderEncoder.command(
            List.of(
                "-fflags",
                "nobuffer",
                // MPEG-TS input is probed for the whole window whatever it finds (FFmpeg's default
                // 5 s; a GOP, 2 s, before this): a short probe, no
                // frame-rate guess (the outputs are at --frame-rate); the decoder then waits for
                // the next keyframe itself.
                "-analyzeduration",
                String.valueOf(PROBE.toNanos() / 1000),
                "-fpsprobesize",
                "0",
                "-f",
                "mpegts",
                "-i",
                "udp://127.0.0.1:" + input + "?fifo_size=100000&overrun_nonfatal=1"),
            on,
            settings.encoder(),
            settings.frameRate(),
            0,
            h -> new Output("rtp", "rtp://127.0.0.1:" + ports.get(h) + "?pkt_size=1200"));
    Process p = launch(command, "encoder-" + id);
    Generation g = new Generation(id, on, p, input);
    live.put(id, g);
    addSourceReader(g);
    p.onExit().thenRun(() -> exited(g));
    return g;
  }

  private void addSourceReader(Generation g) {
    List<InetSocketAddress> readers = new ArrayList<>(source.destinations());
    readers.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), g.inputPort()));
    source.setDestinations(readers);
  }

  /** An encoder that exits while it is the current one is started again on its ladder. */
  private void exited(Generation g) {
    synchronized (this) {
      if (closed || current != g) {
        return;
      }
    }
    log.error(
        "{}: the encoder on {} exited ({}); starting it again (see {})",
        name,
        g.ladder().label(),
        g.process().exitValue(),
        log(g));
    sleep(RESTART_AFTER);
    synchronized (this) {
      if (closed || current != g) {
        return;
      }
      Generation again = start(g.ladder());
      current = again;
      CompletableFuture.runAsync(
          () -> {
            if (awaitSwitch(again)) {
              retire(g);
            }
          });
    }
  }

  private void stop(Generation g) {
    live.remove(g.id());
    g.process().destroy();
    try {
      if (!g.process().waitFor(5, TimeUnit.SECONDS)) {
        g.process().destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      g.process().destroyForcibly();
    }
    for (int h : g.ladder().rungs()) {
      UdpFanout f = renditions.get(h);
      if (f != null) {
        f.removeSource(g.id());
      }
    }
    List<InetSocketAddress> readers = new ArrayList<>(source.destinations());
    readers.removeIf(a -> a.getPort() == g.inputPort());
    source.setDestinations(readers);
  }

  /** FFmpeg listening for the studio's SRT call, repackaging its feed for the encoders. */
  private Process receive() {
    String url =
        "srt://"
            + ingest.getHostString()
            + ":"
            + ingest.getPort()
            + "?mode=listener&latency=120000";
    Process p =
        launch(
            List.of(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "warning",
                // A copy needs the stream's type (the PMT says it), not its parameters: FFmpeg's
                // default probe (5 s of it) held every new feed, a studio calling again after a
                // hand-over, that long before an encoder saw a frame.
                "-fflags",
                "nobuffer",
                "-analyzeduration",
                String.valueOf(PROBE.toNanos() / 1000),
                "-fpsprobesize",
                "0",
                "-i",
                url,
                "-map",
                "0",
                "-c",
                "copy",
                "-f",
                "mpegts",
                "udp://127.0.0.1:" + sourcePort + "?pkt_size=1316"),
            "ingest");
    p.onExit()
        .thenRun(
            () -> {
              synchronized (this) {
                if (closed) {
                  return;
                }
              }
              log.warn(
                  "{}: the studio's SRT feed ended ({}); listening on {} again",
                  name,
                  p.exitValue(),
                  ingest);
              sleep(RESTART_AFTER);
              synchronized (this) {
                if (!closed) {
                  receiver = receive();
                }
              }
            });
    return p;
  }

  private Process launch(List<String> command, String what) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(
              ProcessBuilder.Redirect.appendTo(
                  settings.logs().resolve(name + "-" + what + ".log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start FFmpeg for " + name + " (" + what + ")", e);
    }
  }

  private Path log(Generation g) {
    return settings.logs().resolve(name + "-encoder-" + g.id() + ".log");
  }

  /** A UDP port free now on 127.0.0.1, for an FFmpeg to bind (it opens the port itself). */
  private static int freeUdpPort() {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free UDP port on 127.0.0.1", e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The renditions of the ladder in force, tallest first: once a change has every rendition on the
   * new encoder, the new ladder's (a dropped rung still flows for {@link #RUNG_GRACE}, so that the
   * relays reading this move its viewers before it stops).
   */
  public List<Integer> renditions() {
    return delivering;
  }

  @Override
  public void close() {
    Optional<Process> r;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      r = Optional.ofNullable(receiver);
    }
    r.ifPresent(Process::destroy);
    List.copyOf(live.values()).forEach(this::stop);
    renditions.values().forEach(UdpFanout::close);
    source.close();
  }
}
