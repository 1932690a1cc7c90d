package dev.liffey.edge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.media.Ladder;
import dev.liffey.edge.transcode.LadderAssignment.RegionPlan;
import dev.liffey.edge.transcode.LadderEncoder.Encoder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transcoder agent's API with real FFmpeg behind it: a studio takes a slot and sends H.265 over
 * SRT, two relays register for the stream, the region's plan shortens and restores the ladder, a
 * relay that stops renewing stops receiving, and a stream with no slot is refused. Needs {@code
 * ffmpeg} with libx265 and SRT ({@code .ci/run} installs Debian's).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TranscoderAgentFfmpegTest {
  private static final int FPS = 10;
  private final HttpClient http = HttpClient.newHttpClient();

  /** A relay's mountpoint for one rendition: counts the packets it receives. */
  private static final class Mountpoint implements AutoCloseable {
    final DatagramSocket socket;
    final AtomicLong packets = new AtomicLong();

    Mountpoint() throws IOException {
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                while (true) {
                  try {
                    socket.receive(p);
                    packets.incrementAndGet();
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** A relay: a mountpoint per rendition of the full ladder. */
  private static Map<Integer, Mountpoint> relay() throws IOException {
    Map<Integer, Mountpoint> m = new HashMap<>();
    for (int h : Ladder.FULL.rungs()) {
      m.put(h, new Mountpoint());
    }
    return m;
  }

  private static String registration(Map<Integer, Mountpoint> relay) {
    return relay.entrySet().stream()
        .map(e -> "\"" + e.getKey() + "\": " + e.getValue().socket.getLocalPort())
        .collect(Collectors.joining(", ", "{\"host\": \"127.0.0.1\", \"ports\": {", "}}"));
  }

  private HttpResponse<String> call(String method, URI uri, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void await(String what, BooleanSupplier done, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }

  private static long grows(Mountpoint m, Duration over) throws InterruptedException {
    long before = m.packets.get();
    Thread.sleep(over.toMillis());
    return m.packets.get() - before;
  }

  @Test
  void aStudioTakesASlot_relaysRegister_andThePlansLadderReachesThem(@TempDir Path dir)
      throws Exception {
    AtomicReference<RegionPlan> plan = new AtomicReference<>(RegionPlan.FULL);
    int ingestPort = StreamTranscoderFfmpegTest.freeUdpPort(); // SRT runs over UDP
    Transcoder transcoder =
        new Transcoder(
            new Transcoder.Settings(
                "127.0.0.1",
                "127.0.0.1",
                ingestPort,
                ingestPort,
                1, // one full-ladder slot: a second stream fits only shortened
                Duration.ofSeconds(2),
                new StreamTranscoder.Settings(Encoder.SOFTWARE_H264, FPS, dir)),
            plan::get);
    Map<Integer, Mountpoint> dublin1 = relay();
    Map<Integer, Mountpoint> dublin2 = relay();
    Process studio = null;
    try (transcoder;
        TranscoderServer server =
            new TranscoderServer(
                new InetSocketAddress("127.0.0.1", 0),
                transcoder,
                Optional.empty(),
                "g6.2xlarge",
                () -> {},
                Clock.systemUTC())) {
      server.start();
      URI api = URI.create("http://127.0.0.1:" + server.address().getPort());

      HttpResponse<String> taken = call("POST", api.resolve("/streams"), "{\"name\": \"match-1\"}");
      assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
      assertThat(taken.body())
          .contains("\"ingest\":\"srt://127.0.0.1:" + ingestPort + "\"")
          .contains("\"ladder\":\"1080/720/480/360\"");
      assertThat(call("POST", api.resolve("/streams"), "{\"name\": \"match-1\"}").statusCode())
          .isEqualTo(409);
      assertThat(call("POST", api.resolve("/streams"), "{\"name\": \"no spaces\"}").body())
          .contains("1-64 letters");

      for (Map<Integer, Mountpoint> relay : List.of(dublin1, dublin2)) {
        String id = relay == dublin1 ? "relay-1" : "relay-2";
        assertThat(
                call("PUT", api.resolve("/streams/match-1/relays/" + id), registration(relay))
                    .statusCode())
            .isEqualTo(204);
      }
      studio = StreamTranscoderFfmpegTest.studio(ingestPort, dir, FPS);
      await(
          "every rendition at both relays",
          () ->
              java.util.stream.Stream.of(dublin1, dublin2)
                  .allMatch(r -> r.values().stream().allMatch(m -> m.packets.get() > 20)),
          Duration.ofSeconds(30));

      // The plan: this region's streams on 720/480/360 (a GPU shortage); read at the next poll.
      plan.set(new RegionPlan(Map.of(Ladder.FROM_720, 12), 0, Optional.empty()));
      transcoder.refreshPlan();
      await(
          "720/480/360 from the agent",
          () -> transcoder.streams().get(0).renditions().equals(List.of(720, 480, 360)),
          Duration.ofSeconds(30));
      // The dropped rung flows a little longer, while relays move its viewers; then it stops.
      Thread.sleep(StreamTranscoder.RUNG_GRACE.toMillis() + 1_000);
      assertThat(grows(dublin1.get(1080), Duration.ofSeconds(1))).isZero();
      assertThat(grows(dublin1.get(720), Duration.ofSeconds(1))).isPositive();

      // relay-2 stops renewing (gone); relay-1 renews.
      for (int i = 0; i < 4; i++) {
        call("PUT", api.resolve("/streams/match-1/relays/relay-1"), registration(dublin1));
        Thread.sleep(1_000);
        transcoder.expireRelays(Instant.now());
      }
      assertThat(grows(dublin2.get(720), Duration.ofSeconds(1))).isZero();
      assertThat(grows(dublin1.get(720), Duration.ofSeconds(1))).isPositive();

      // On-call forces the full ladder: one slot holds match-1; a second stream has none.
      plan.set(new RegionPlan(Map.of(Ladder.FULL, 1), 0, Optional.of(Ladder.FULL)));
      transcoder.refreshPlan();
      HttpResponse<String> refused =
          call("POST", api.resolve("/streams"), "{\"name\": \"match-2\"}");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).contains("5");
      assertThat(refused.body())
          .startsWith(
              "no slot for 'match-2' (streams live here: 1; full-ladder slots: 1; every stream on"
                  + " 1080/720/480/360 by on-call)");
      long at1080 = dublin1.get(1080).packets.get();
      await(
          "1080p back at relay-1",
          () -> dublin1.get(1080).packets.get() > at1080 + 20,
          Duration.ofSeconds(30));
      await(
          "the full ladder in the agent's list",
          () -> transcoder.streams().get(0).renditions().equals(List.of(1080, 720, 480, 360)),
          Duration.ofSeconds(10));

      assertThat(call("DELETE", api.resolve("/streams/match-1"), "").statusCode()).isEqualTo(204);
      assertThat(call("GET", api.resolve("/streams"), "").body()).isEqualTo("[]");
      assertThat(call("DELETE", api.resolve("/streams/match-1"), "").statusCode()).isEqualTo(404);
    } finally {
      if (studio != null) {
        studio.destroy();
      }
      dublin1.values().forEach(Mountpoint::close);
      dublin2.values().forEach(Mountpoint::close);
    }
  }
}
