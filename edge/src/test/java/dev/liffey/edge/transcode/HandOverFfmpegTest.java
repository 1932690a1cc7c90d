package dev.liffey.edge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.edge.placement.InMemoryRegistry;
import dev.liffey.edge.placement.Placement;
import dev.liffey.edge.placement.TranscoderEntry;
import dev.liffey.edge.transcode.LadderAssignment.RegionPlan;
import dev.liffey.edge.transcode.LadderEncoder.Encoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two transcoder agents of a region (an L4 and an A10G) with their APIs and a registry: new streams
 * go to the preferred type, a draining one sends new streams on and hands its own over, and a
 * stream's old address sends its studio to the new one. FFmpeg listens for each stream (no studio
 * sends here: the whole path with a studio and viewers is {@code TranscoderHandOverIT}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HandOverFfmpegTest {
  private static final List<String> PREFERRED = List.of("g6.2xlarge", "g5.2xlarge");

  @TempDir Path dir;
  private final InMemoryRegistry registry = new InMemoryRegistry();
  private final HttpClient http = HttpClient.newHttpClient();
  private final HttpClient following =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
  private final List<AutoCloseable> open = new ArrayList<>();

  /** One transcoder: its agent's parts as TranscoderMain wires them. */
  private final class Agent {
    final String id;
    final String type;
    final Transcoder transcoder;
    final TranscoderServer server;
    final Placement placement;
    final URI api;

    Agent(String id, String type, double slots) throws Exception {
      this.id = id;
      this.type = type;
      int ingest = StreamTranscoderFfmpegTest.freeUdpPort();
      transcoder =
          new Transcoder(
              new Transcoder.Settings(
                  "127.0.0.1",
                  "127.0.0.1",
                  ingest,
                  ingest + 3,
                  slots,
                  Duration.ofSeconds(10),
                  new StreamTranscoder.Settings(Encoder.SOFTWARE_H264, 10, dir)),
              () -> RegionPlan.FULL);
      placement = new Placement(registry, id, PREFERRED, Clock.systemUTC());
      server =
          new TranscoderServer(
              new InetSocketAddress("127.0.0.1", 0),
              transcoder,
              Optional.of(placement),
              type,
              this::announce,
              Clock.systemUTC());
      server.start();
      api = URI.create("http://127.0.0.1:" + server.address().getPort());
      open.add(0, transcoder);
      open.add(0, server);
      announce();
    }

    void announce() {
      Instant now = Instant.now();
      registry.announce(
          new TranscoderEntry(
              id,
              api,
              type,
              transcoder.size(),
              transcoder.room(),
              transcoder.draining(),
              now,
              now.plusSeconds(30)));
    }

    void drain() {
      transcoder.accepting(false);
      announce();
    }
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private HttpResponse<String> post(HttpClient client, URI uri, String stream) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + stream + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void newStreamsGoToThePreferredType_andADrainingTranscoderHandsItsStreamsOver() throws Exception {
    Agent l4 = new Agent("i-l4", "g6.2xlarge", 2);
    Agent a10g = new Agent("i-a10g", "g5.2xlarge", 2);

    HttpResponse<String> sent = post(http, a10g.api.resolve("/streams"), "match-1");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(307);
    assertThat(sent.headers().firstValue("Location"))
        .contains(l4.api.resolve("/streams?placed=1").toString());
    HttpResponse<String> placed = post(following, a10g.api.resolve("/streams"), "match-1");
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(placed.uri().getPort()).isEqualTo(l4.api.getPort());
    assertThat(l4.transcoder.names()).containsExactly("match-1");
    l4.announce();

    HttpResponse<String> here = post(http, a10g.api.resolve("/streams?placed=1"), "match-2");
    assertThat(here.statusCode()).as("a placement made is never redirected").isEqualTo(201);
    a10g.announce();

    l4.drain();
    assertThat(l4.transcoder.room()).isZero();
    HttpResponse<String> away = post(following, l4.api.resolve("/streams"), "match-3");
    assertThat(away.statusCode()).as(away.body()).isEqualTo(201);
    assertThat(a10g.transcoder.names()).containsExactly("match-2", "match-3");
    assertThat(post(http, l4.api.resolve("/streams?placed=1"), "match-4").statusCode())
        .as("draining, and told not to send it on")
        .isEqualTo(503);
    a10g.announce();

    assertThat(new HandOver(l4.transcoder, l4.placement, registry).tick()).isEqualTo(1);
    assertThat(l4.transcoder.names()).isEmpty();
    assertThat(a10g.transcoder.names()).contains("match-1");
    HttpResponse<String> old = get(http, l4.api.resolve("/streams/match-1"));
    assertThat(old.statusCode()).isEqualTo(307);
    HttpResponse<String> now = get(following, l4.api.resolve("/streams/match-1"));
    assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
    assertThat(now.body())
        .contains("\"name\":\"match-1\"")
        .contains("\"ingest\":\"srt://127.0.0.1:");
    assertThat(now.uri().getPort()).isEqualTo(a10g.api.getPort());
    assertThat(get(http, a10g.api.resolve("/streams/match-9")).statusCode()).isEqualTo(404);
  }

  @Test
  void aStreamNobodyTakesStaysServedWhereItIs() throws Exception {
    Agent l4 = new Agent("i-l4", "g6.2xlarge", 2);
    Agent a10g = new Agent("i-a10g", "g5.2xlarge", 2);
    assertThat(post(http, l4.api.resolve("/streams"), "match-1").statusCode()).isEqualTo(201);
    a10g.drain();
    l4.drain();
    HandOver handOver = new HandOver(l4.transcoder, l4.placement, registry);
    assertThat(handOver.tick()).isZero();
    assertThat(l4.transcoder.names()).containsExactly("match-1");
    assertThat(get(http, l4.api.resolve("/streams/match-1")).statusCode()).isEqualTo(200);

    registry.failing = true;
    assertThat(handOver.tick()).as("the registry unread: nothing moves").isZero();
    registry.failing = false;
    a10g.transcoder.accepting(true);
    a10g.announce();
    assertThat(handOver.tick()).as("taken once a transcoder has room again").isEqualTo(1);
    assertThat(a10g.transcoder.names()).containsExactly("match-1");
  }
}
