package dev.liffey.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.core.media.Ladder;
import dev.liffey.it.emulator.EmulatorTest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The transcoder agent as a process (the edge jar's {@code transcoder} command) beside the emulated
 * control table: the autoscaler's own writer puts the region's ladder plan there, the agent reads
 * it at its next poll, and a stream's renditions follow it, the remaining ones without a gap. A
 * studio's FFmpeg sends H.265 over SRT; UDP sockets stand where a relay's mountpoints would be
 * (Janus comes with the relay side of the registration).
 */
class TranscoderAgentIT extends EmulatorTest {
  private static final String REGION = "eu-west-1";
  private static final int FPS = 10;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  /** A mountpoint: when each RTP frame (marker bit) arrived. */
  private static final class Mountpoint implements AutoCloseable {
    final DatagramSocket socket;
    final List<Long> frames = new ArrayList<>();

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
                  if ((buf[1] & 0x80) != 0) {
                    synchronized (this) {
                      frames.add(System.nanoTime());
                    }
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }

    synchronized int count() {
      return frames.size();
    }

    synchronized Duration longestGapSince(long from) {
      long longest = 0;
      long previous = from;
      for (long f : frames) {
        if (f >= from) {
          longest = Math.max(longest, f - previous);
          previous = f;
        }
      }
      return Duration.ofNanos(longest);
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  private HttpResponse<String> call(String method, URI uri, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The latest value of a Liffey/Edge series of this region, -1 when there is none. */
  private double published(String metric, List<Dimension> more) {
    List<Dimension> dims = new java.util.ArrayList<>(more);
    dims.add(0, Dimension.builder().name("Region").value(REGION).build());
    return aws
        .cloudWatch(REGION)
        .getMetricStatistics(
            b ->
                b.namespace("Liffey/Edge")
                    .metricName(metric)
                    .dimensions(dims)
                    .startTime(Instant.now().minusSeconds(120))
                    .endTime(Instant.now().plusSeconds(10))
                    .period(1)
                    .statistics(Statistic.MAXIMUM))
        .datapoints()
        .stream()
        .max(java.util.Comparator.comparing(Datapoint::timestamp))
        .map(Datapoint::maximum)
        .orElse(-1.0);
  }

  private static LadderPlan plan(Ladder ladder, int streams, Optional<Ladder> forced) {
    return new LadderPlan(
        REGION, streams, Map.of(ladder, streams), 0, 10, true, "written by the test", forced);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void theAgentFollowsTheLadderPlanTheAutoscalerWrites_withoutAGap() throws Exception {
    DynamoDbControlStore store = DynamoDbControlStore.of(config, aws);
    store.createTableIfMissing();
    TranscoderProcess transcoder =
        new TranscoderProcess(
            dir,
            emulator.endpoint(),
            REGION,
            config.control().tableName(),
            config.primaryRegion(),
            FPS);
    int ingest = transcoder.ingest;
    Path log = transcoder.log;
    Map<Integer, Mountpoint> relay = new TreeMap<>();
    for (int h : Ladder.FULL.rungs()) {
      relay.put(h, new Mountpoint());
    }
    Process studio = null;
    try {
      URI base = transcoder.base();
      transcoder.awaitListening();

      HttpResponse<String> taken = call("POST", base.resolve("/streams"), "{\"name\":\"match-1\"}");
      assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
      assertThat(taken.body()).contains("\"ingest\":\"srt://127.0.0.1:" + ingest + "\"");
      String registration =
          relay.entrySet().stream()
              .map(e -> "\"" + e.getKey() + "\":" + e.getValue().socket.getLocalPort())
              .collect(Collectors.joining(",", "{\"host\":\"127.0.0.1\",\"ports\":{", "}}"));
      assertThat(
              call("PUT", base.resolve("/streams/match-1/relays/relay-1"), registration)
                  .statusCode())
          .isEqualTo(204);
      studio = transcoder.studio(dir, FPS);
      Await.until(
          "every rendition of the full ladder at the relay",
          () -> relay.values().stream().allMatch(m -> m.count() >= 2 * FPS),
          Duration.ofSeconds(45));

      // What it publishes: its stream, and the slots the full ladder takes (summed by the reader).
      Await.until(
          "LiveStreams and TranscoderSlotsUsed in the emulated CloudWatch",
          () ->
              published("LiveStreams", List.of()) == 1
                  && published(
                          "TranscoderSlotsUsed",
                          List.of(
                              Dimension.builder().name("InstanceType").value("g6.2xlarge").build()))
                      == 1,
          Duration.ofSeconds(20));

      // A GPU shortage: the autoscaler's writer puts the region on 720/480/360.
      long shortened = System.nanoTime();
      store.recordLadders(Instant.now(), List.of(plan(Ladder.FROM_720, 12, Optional.empty())), 0);
      Await.until(
          "the agent on 720/480/360",
          () -> renditions(base).equals("[720,480,360]"),
          Duration.ofSeconds(20));
      Thread.sleep(6_000); // the dropped rung flows 5 s more, while relays move its viewers
      int at1080 = relay.get(1080).count();
      Thread.sleep(2_000);
      assertThat(relay.get(1080).count()).as("1080p dropped").isEqualTo(at1080);
      for (int h : Ladder.FROM_720.rungs()) {
        assertThat(relay.get(h).longestGapSince(shortened))
            .as(h + "p through the change")
            .isLessThan(Duration.ofSeconds(2));
      }

      // On-call forces the full ladder back: the plan the daemon writes says so.
      int before = relay.get(1080).count();
      store.recordLadders(
          Instant.now(), List.of(plan(Ladder.FULL, 1, Optional.of(Ladder.FULL))), 0);
      Await.until(
          "1080p back", () -> relay.get(1080).count() > before + FPS, Duration.ofSeconds(20));
      HttpResponse<String> streams = call("GET", base.resolve("/streams"), "");
      assertThat(streams.body())
          .contains("\"ladder\":\"1080/720/480/360\"")
          .contains("\"relays\":[\"relay-1\"]");
      assertThat(Files.readString(log))
          .contains("ladder 1080/720/480/360 -> 720/480/360")
          .contains("on 720/480/360 after ");
    } finally {
      if (studio != null) {
        studio.destroy();
      }
      assertThat(transcoder.stop()).as(Files.readString(log)).isTrue();
      relay.values().forEach(Mountpoint::close);
    }
    assertThat(
            ProcessHandle.allProcesses()
                .filter(
                    p -> p.info().commandLine().orElse("").contains("srt://127.0.0.1:" + ingest))
                .filter(p -> p.info().command().orElse("").endsWith("ffmpeg"))
                .filter(p -> !p.info().commandLine().orElse("").contains("mode=caller"))
                .count())
        .as("the agent's FFmpeg processes stop with it")
        .isZero();
  }

  /** The renditions the agent sends for its one stream, as its API shows them. */
  private String renditions(URI base) {
    try {
      String body = call("GET", base.resolve("/streams"), "").body();
      int at = body.indexOf("\"renditions\":");
      return at < 0 ? "" : body.substring(at + 13, body.indexOf(']', at) + 1);
    } catch (Exception e) {
      return "";
    }
  }
}
