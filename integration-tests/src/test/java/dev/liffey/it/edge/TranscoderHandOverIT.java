package dev.liffey.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.it.emulator.EmulatedEdge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.autoscaling.model.Instance;

/**
 * A transcoder leaving its group hands its stream over, on this machine with real parts: two
 * transcoder agents (an L4 and an A10G of the emulated GPU groups) announce themselves in the
 * emulated control table; a studio POSTs its stream to the A10G and is sent to the L4 (the
 * preferred type); a relay (Janus and the relay agent) finds the transcoders in the table and an
 * aiortc viewer watches over WHEP. Then the L4's IMDS says {@code Terminated}: it takes no new
 * stream, hands the stream to the A10G, its studio asks again and is sent there, the relay follows
 * the stream to it with the same mountpoints, the viewer keeps its session and its frames, and the
 * L4 completes its lifecycle hook.
 */
class TranscoderHandOverIT extends EdgeProcessesTest {
  private static final String REGION = "eu-west-1";
  private static final int FPS = 10;
  private static final int WATCH_SECONDS = 60;

  /** How long a viewer may take to decode its first frame on a busy machine. */
  private static final Duration JOIN_WAIT = Duration.ofSeconds(40);

  private String instanceOf(EmulatedEdge edge, String type) {
    edge.gpuGroup(REGION, type, 1, 0);
    return aws
        .autoScaling(REGION)
        .describeAutoScalingGroups(
            b -> b.autoScalingGroupNames(EmulatedEdge.gpuGroupName(REGION, type)))
        .autoScalingGroups()
        .get(0)
        .instances()
        .stream()
        .map(Instance::instanceId)
        .findFirst()
        .orElseThrow();
  }

  private TranscoderProcess transcoder(
      String name, String type, String instanceId, FakeImds imds, LifecycleRecorder lifecycle)
      throws Exception {
    TranscoderProcess t =
        running(
            new TranscoderProcess(
                dir,
                name,
                emulator.endpoint(),
                REGION,
                config.control().tableName(),
                config.primaryRegion(),
                FPS,
                Map.of(
                    "AWS_ENDPOINT_URL_AUTO_SCALING", lifecycle.endpoint().toString(),
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString()),
                List.of(
                    "--instance-type",
                    type,
                    "--instance-id",
                    instanceId,
                    "--prefer-types",
                    "g6.2xlarge,g5.2xlarge,g4dn.2xlarge",
                    "--heartbeat-interval",
                    "2s")));
    t.awaitListening();
    return t;
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aDrainingTranscoderHandsItsStreamOver_andTheViewerKeepsWatching() throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    DynamoDbControlStore.of(config, aws).createTableIfMissing();
    String l4Id = instanceOf(edge, "g6.2xlarge");
    String a10gId = instanceOf(edge, "g5.2xlarge");
    LifecycleRecorder lifecycle = running(new LifecycleRecorder(emulator.endpoint()));
    FakeImds l4Imds = running(new FakeImds(l4Id));
    FakeImds a10gImds = running(new FakeImds(a10gId));
    TranscoderProcess l4 = transcoder("transcoder-l4", "g6.2xlarge", l4Id, l4Imds, lifecycle);
    TranscoderProcess a10g =
        transcoder("transcoder-a10g", "g5.2xlarge", a10gId, a10gImds, lifecycle);
    Await.until(
        "both transcoders announced in the table",
        () -> controlTableItems("transcoders#" + REGION).size() == 2,
        Duration.ofSeconds(20));

    Studio studio = running(Studio.start(dir, FPS, a10g.base(), "match-1"));
    assertThat(studio.stream().getPort())
        .as("placed on the L4, the preferred type")
        .isEqualTo(l4.port);

    ViewerTokens issuer = new ViewerTokens("2026-12");
    Path key = issuer.publicKeyPem(Files.createDirectories(dir.resolve("keys")));
    FakeImds relayImds = running(new FakeImds("i-relay-a"));
    TestRelay relay =
        running(
            TestRelay.start(
                dir,
                "relay-a",
                key,
                40200,
                relayEnvironment(relayImds, lifecycle),
                // This machine's CPU is the transcoders' too, not a relay's.
                controlTableRelay(REGION, "--feed-poll", "1s", "--cpu-limit", "1")));
    Await.until(
        "the relay found the L4 in the table and registered for match-1",
        () -> get(l4.base().resolve("/streams/match-1")).contains("\"relays\":[\""),
        Duration.ofSeconds(30));

    WebRtcViewers.Run viewers =
        WebRtcViewers.start(
            dir,
            "handover",
            List.of(
                new WebRtcViewers.Spec(
                    "on-480",
                    relay.whep("match-1@480"),
                    issuer.token("IE", "match-1", "viewer-1"),
                    WATCH_SECONDS)));
    // The hand-over is judged on a viewer already watching the L4's frames: on a busy machine the
    // first frame has taken 18 s, and a viewer that joined after the L4 left proves nothing.
    Path firstFrame = WebRtcViewers.firstFrame(dir, "on-480");
    Await.until("the viewer decodes the L4's frames", () -> Files.exists(firstFrame), JOIN_WAIT);
    Thread.sleep(5_000); // and watches for a while
    long handOverFrom = Instant.now().getEpochSecond();

    l4Imds.lifecycleState("Terminated");
    Await.until(
        "the L4 completed its lifecycle hook",
        () -> !lifecycle.calls("CompleteLifecycleAction", l4Id).isEmpty(),
        Duration.ofSeconds(60));
    assertThat(lifecycle.calls("CompleteLifecycleAction", l4Id).get(0).params())
        .containsEntry("LifecycleActionResult", "CONTINUE");
    Await.until(
        "the studio, its SRT connection ended, asked again and was sent to the A10G",
        () -> studio.ingests.size() > 1,
        Duration.ofSeconds(30));
    assertThat(studio.ingests)
        .containsExactly("srt://127.0.0.1:" + l4.ingest, "srt://127.0.0.1:" + a10g.ingest);
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(l4.base().resolve("/streams"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"match-2\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode())
        .as("the draining L4 takes no new stream (nor can the A10G: its one ingest port is taken)")
        .isEqualTo(503);
    assertThat(refused.body()).contains("draining");

    JsonNode watched = viewers.results().get(0);
    assertThat(watched.path("status").asInt()).as(watched.toString()).isEqualTo(201);
    // The viewer leaves WATCH_SECONDS after its answer, which it sent join_ms before its first
    // frame.
    long lastSecond =
        Long.parseLong(Files.readString(firstFrame).trim())
            + WATCH_SECONDS
            - (watched.path("join_ms").asLong() + 999) / 1000;
    assertThat(watched.path("frames_by_second").properties())
        .as("frames before the L4 was told to leave, in the same session: " + watched)
        .anyMatch(e -> Long.parseLong(e.getKey()) < handOverFrom);
    assertThat(framesBetween(watched, lastSecond - 10, lastSecond))
        .as("frames from the A10G after the hand-over, in the same session: " + watched)
        .isGreaterThan(8 * FPS);
    assertThat(get(a10g.base().resolve("/streams/match-1")))
        .as("the relay registered with the A10G")
        .contains("\"relays\":[\"");
    studio.events.forEach(System.out::println);
    System.out.printf(
        "hand-over L4 -> A10G: the viewer's longest gap %d ms, %d frames in %d s%n",
        watched.path("longest_gap_ms").asInt(),
        watched.path("frames_by_height").path("480").asInt(),
        WATCH_SECONDS);
  }

  /**
   * Frames the viewer decoded from second {@code from} (epoch, included) to {@code to} (excluded).
   */
  private static int framesBetween(JsonNode watched, long from, long to) {
    int frames = 0;
    for (var e : watched.path("frames_by_second").properties()) {
      long second = Long.parseLong(e.getKey());
      if (second >= from && second < to) {
        frames += e.getValue().asInt();
      }
    }
    return frames;
  }
}
