package dev.liffey.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.core.media.Ladder;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole path of a live stream on this machine: a studio's FFmpeg sends H.265 over SRT to a
 * transcoder agent (its ladder encoded with x264), two relays (Janus and the relay agent) register
 * for the stream and serve it, and WebRTC viewers (aiortc over WHEP) watch on both. Mid-stream the
 * autoscaler's writer puts the shortest ladder in the emulated control table: the transcoder drops
 * 1080p and 720p, the viewer watching 720p is switched to 480p in Janus, and the viewer on 480p
 * keeps watching. And a relay above its CPU limit moves its viewer down, rendition by rendition, in
 * the same session. (The viewers decode in Python, so they watch 720p and below: a 1080p decoder
 * beside the ladder's encoders is more than two cores carry.)
 */
class TranscodedViewersIT extends EdgeProcessesTest {
  private static final String REGION = "eu-west-1";
  private static final int FPS = 10;

  /** A transcoder agent with the live stream {@code match-1} from a studio. */
  private TranscoderProcess liveTranscoder() throws Exception {
    DynamoDbControlStore.of(config, aws).createTableIfMissing();
    TranscoderProcess transcoder =
        running(
            new TranscoderProcess(
                dir,
                emulator.endpoint(),
                REGION,
                config.control().tableName(),
                config.primaryRegion(),
                FPS));
    transcoder.awaitListening();
    HttpResponse<String> taken =
        http.send(
            HttpRequest.newBuilder(transcoder.base().resolve("/streams"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"match-1\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
    Process studio = transcoder.studio(dir, FPS);
    running(studio::destroy);
    return transcoder;
  }

  /** A relay (Janus and the agent) following {@code transcoder}'s streams. */
  private TestRelay relay(
      String name, Path key, int rtpFrom, TranscoderProcess transcoder, String... flags)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--no-aws",
                "--region",
                REGION,
                "--market",
                "IE",
                "--transcoder",
                transcoder.base().toString(),
                "--feed-poll",
                "1s"));
    args.addAll(List.of(flags));
    return running(TestRelay.start(dir, name, key, rtpFrom, Map.of(), args));
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void viewersOnTwoRelaysWatchTheTranscodedStream_throughALadderChange() throws Exception {
    DynamoDbControlStore store = DynamoDbControlStore.of(config, aws);
    TranscoderProcess transcoder = liveTranscoder();
    ViewerTokens issuer = new ViewerTokens("2026-12");
    Path key = issuer.publicKeyPem(Files.createDirectories(dir.resolve("keys")));
    // This machine's CPU is the encoders' and the viewers' too, not a relay's: no CPU limit here.
    List<TestRelay> relays =
        List.of(
            relay("relay-a", key, 40000, transcoder, "--cpu-limit", "1"),
            relay("relay-b", key, 40100, transcoder, "--cpu-limit", "1"));
    Await.until(
        "both relays registered for match-1",
        () ->
            get(transcoder.base().resolve("/streams"))
                .matches(".*\"relays\":\\[\"[^\"]+\",\"[^\"]+\"\\].*"),
        Duration.ofSeconds(30));

    WebRtcViewers.Run viewers =
        WebRtcViewers.start(
            dir,
            "transcoded",
            List.of(
                new WebRtcViewers.Spec(
                    "on-720",
                    relays.get(0).whep("match-1@720"),
                    issuer.token("IE", "match-1", "viewer-1"),
                    30),
                new WebRtcViewers.Spec(
                    "on-480",
                    relays.get(1).whep("match-1@480"),
                    issuer.token("IE", "match-1", "viewer-2"),
                    30)));
    Thread.sleep(12_000); // joined, and watching the full ladder for a while

    // A GPU shortage: the autoscaler's writer puts the region's streams on 480/360.
    store.recordLadders(
        Instant.now(),
        List.of(
            new LadderPlan(
                REGION,
                1,
                Map.of(Ladder.FROM_480, 1),
                0,
                0.2,
                true,
                "written by the test",
                Optional.empty())),
        0);

    JsonNode results = viewers.results();
    JsonNode moved = results.get(0);
    JsonNode stayed = results.get(1);
    assertThat(moved.path("status").asInt()).as(moved.toString()).isEqualTo(201);
    assertThat(stayed.path("status").asInt()).as(stayed.toString()).isEqualTo(201);
    // Constrained Baseline at each rung's level: what every browser's H.264 decoder takes, and what
    // the encoders send (LadderEncoderFfmpegTest).
    assertThat(moved.path("offered_profile_level_ids").toString()).isEqualTo("[\"42e020\"]");
    assertThat(stayed.path("offered_profile_level_ids").toString()).isEqualTo("[\"42e01f\"]");
    assertThat(moved.path("frames_by_height").path("720").asInt())
        .as("watched 720p first: " + moved)
        .isGreaterThan(3 * FPS);
    assertThat(moved.path("frames_by_height").path("480").asInt())
        .as("then 480p, moved by its relay when the ladder dropped 720p: " + moved)
        .isGreaterThan(5 * FPS);
    assertThat(stayed.path("frames_by_height").path("480").asInt())
        .as(stayed.toString())
        .isGreaterThan(15 * FPS);
    assertThat(stayed.path("longest_gap_ms").asInt())
        .as("480p through the ladder change: " + stayed)
        .isLessThan(2_000);
    assertThat(moved.path("longest_gap_ms").asInt()).as("720p to 480p: " + moved).isLessThan(2_000);
    System.out.printf(
        "viewer moved 720p -> 480p: longest gap %d ms; viewer on 480p: longest gap %d ms%n",
        moved.path("longest_gap_ms").asInt(), stayed.path("longest_gap_ms").asInt());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aRelayAboveItsCpuLimitGivesItsViewerLowerRenditions_ratherThanAStall() throws Exception {
    TranscoderProcess transcoder = liveTranscoder();
    ViewerTokens issuer = new ViewerTokens("2026-12");
    Path key = issuer.publicKeyPem(Files.createDirectories(dir.resolve("keys")));
    // A limit this machine is always above while it encodes the ladder.
    TestRelay relay = relay("relay-a", key, 40000, transcoder, "--cpu-limit", "0.01");
    Await.until(
        "the relay registered for match-1",
        () -> get(transcoder.base().resolve("/streams")).contains("\"relays\":[\""),
        Duration.ofSeconds(30));

    JsonNode watched =
        WebRtcViewers.start(
                dir,
                "protected",
                List.of(
                    new WebRtcViewers.Spec(
                        "asked-720",
                        relay.whep("match-1@720"),
                        issuer.token("IE", "match-1", "viewer-1"),
                        25)))
            .results()
            .get(0);
    assertThat(watched.path("status").asInt()).as(watched.toString()).isEqualTo(201);
    assertThat(watched.path("frames_by_height").path("360").asInt())
        .as("moved down rendition by rendition to the lowest, in the same session: " + watched)
        .isGreaterThan(15 * FPS);
    assertThat(watched.path("longest_gap_ms").asInt())
        .as("each move waits for a keyframe, no more: " + watched)
        .isLessThan(2_000);
    assertThat(Files.readString(relay.agent.log))
        .contains("viewers moved one rendition down")
        .contains("moved 720p -> 480p")
        .contains("moved 480p -> 360p");
    System.out.printf(
        "relay above its CPU limit: the viewer's frames by height %s, longest gap %d ms%n",
        watched.path("frames_by_height"), watched.path("longest_gap_ms").asInt());
  }
}
