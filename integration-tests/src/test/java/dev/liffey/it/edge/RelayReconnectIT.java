package dev.liffey.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.it.emulator.EmulatedEdge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A draining relay asks its viewers to reconnect (WHEP's server-sent events, the {@code reconnect}
 * event), on this machine with real parts: three relays, each a Janus and the relay agent's jar,
 * fed one live stream, and two aiortc viewers that follow reconnect events, resolving the event's
 * URL against relay B as DNS would send them there. Relays A and C are then taken out of service
 * together. A's viewer makes its new session on B, decodes it before it leaves A, and A, empty,
 * completes its lifecycle hook long before its drain bound. C runs with {@code
 * --no-reconnect-on-drain}: its viewer hears nothing and watches on, and C's drain waits.
 */
class RelayReconnectIT extends EdgeProcessesTest {
  private static final String REGION = "eu-west-1";

  /** Long enough that a drain completed within this test cannot have come from the bound. */
  private static final String DRAIN_MAX = "30m";

  private static final int WATCH_SECONDS = 35;

  /** How long a viewer may take to decode its first frame on a busy machine. */
  private static final Duration JOIN_WAIT = Duration.ofSeconds(40);

  /** How long, after C began draining, its viewer is watched for a move that must not come. */
  private static final Duration QUIET_WAIT = Duration.ofSeconds(8);

  /** One relay, the IMDS it reads and its instance of the emulated relay group. */
  private record Relay(TestRelay relay, FakeImds imds, String instanceId) {
    String whep(String stream) {
      return relay.whep(stream);
    }

    String base() {
      return relay.agent.base().toString();
    }
  }

  private Relay relay(
      String name,
      String instanceId,
      Path tokenKey,
      LifecycleRecorder lifecycle,
      int rtpFrom,
      String... more)
      throws Exception {
    FakeImds imds = running(new FakeImds(instanceId));
    List<String> flags =
        new ArrayList<>(
            List.of(
                // A TURN Link beside the events Link: the viewer must pick the right one.
                "--turn-url",
                "turn:127.0.0.1:3478?transport=udp",
                "--turn-secret-file",
                Files.writeString(dir.resolve(name + "-turn-secret"), "coturn-shared-secret")
                    .toString(),
                "--region",
                REGION,
                "--market",
                "IE",
                "--heartbeat-interval",
                "3s",
                "--drain-max",
                DRAIN_MAX));
    flags.addAll(List.of(more));
    TestRelay relay =
        running(
            TestRelay.start(
                dir, name, tokenKey, rtpFrom, relayEnvironment(imds, lifecycle), flags));
    return new Relay(relay, imds, instanceId);
  }

  // The first use pip-installs aiortc: outside the test's own bound.
  @BeforeEach
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void installViewers() throws Exception {
    WebRtcViewers.install();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDrainingRelaysViewerMakesItsNewSessionElsewhereBeforeLeaving_andTheRelayEmptiesAtOnce()
      throws Exception {
    EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    List<String> instances =
        aws
            .autoScaling(REGION)
            .describeAutoScalingGroups(
                b -> b.autoScalingGroupNames(EmulatedEdge.relayGroupName(REGION)))
            .autoScalingGroups()
            .get(0)
            .instances()
            .stream()
            .map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId)
            .toList();
    ViewerTokens issuer = new ViewerTokens("2026-12");
    Path key = issuer.publicKeyPem(Files.createDirectories(dir.resolve("keys")));
    LifecycleRecorder lifecycle = running(new LifecycleRecorder(emulator.endpoint()));
    Relay a = relay("relay-a", instances.get(0), key, lifecycle, 40400);
    Relay b = relay("relay-b", instances.get(1), key, lifecycle, 40500);
    Relay c = relay("relay-c", instances.get(2), key, lifecycle, 40600, "--no-reconnect-on-drain");
    running(new TestFeed(dir, List.of(a.relay().janus, b.relay().janus, c.relay().janus)));

    WebRtcViewers.Run watching =
        WebRtcViewers.start(
            dir,
            "viewers",
            List.of(
                WebRtcViewers.Spec.followingReconnects(
                    "on-a",
                    a.whep("match"),
                    issuer.token("IE", "match", "viewer-a"),
                    WATCH_SECONDS,
                    b.base()),
                WebRtcViewers.Spec.followingReconnects(
                    "on-c",
                    c.whep("match"),
                    issuer.token("IE", "match", "viewer-c"),
                    WATCH_SECONDS,
                    b.base())));
    // Judged on viewers already decoding their first relay's frames.
    for (String v : List.of("on-a", "on-c")) {
      Path firstFrame = WebRtcViewers.firstFrame(dir, v);
      Await.until(v + " decodes its relay's frames", () -> Files.exists(firstFrame), JOIN_WAIT);
    }
    assertThat(viewers(a)).isEqualTo(1);
    assertThat(viewers(b)).isEqualTo(0);
    assertThat(viewers(c)).isEqualTo(1);
    Thread.sleep(2_000); // and watch for a while: the longest gap spans frames before the drain
    // What the autoscaler reads from the relays before it hands anyone over: of Dublin's two Irish
    // viewers, the one whose relay offers the event follows it; C's player was offered none.
    MarketRegion irish = new MarketRegion("IE", REGION);
    Metrics[] read = new Metrics[1];
    Await.until(
        "CloudWatch counts A's viewer following the reconnect event, not C's",
        () -> {
          read[0] =
              PartialRead.orPartial(
                  () -> new CloudWatchMetricsSource(config, aws::cloudWatch, Instant::now).read());
          return read[0].viewers().containsKey(irish)
              && read[0].viewers().get(irish).value() == 2
              && read[0].followingReconnect().containsKey(irish)
              && read[0].followingReconnect().get(irish).value() == 1;
        },
        Duration.ofSeconds(45));
    assertThat(read[0].followingShare(irish, Instant.now(), config.scaling().staleAfter()))
        .isEqualTo(0.5);

    Instant drainAt = Instant.now();
    a.imds().lifecycleState("Terminated");
    c.imds().lifecycleState("Terminated");
    Await.until("relay A reports draining", () -> draining(a), Duration.ofSeconds(20));
    Instant drainSeen = Instant.now();
    Await.until("relay C reports draining", () -> draining(c), Duration.ofSeconds(20));
    Instant cDraining = Instant.now();
    Await.until(
        "A's viewer made its new session on relay B",
        () -> viewers(b) == 1,
        Duration.ofSeconds(20));
    Await.until(
        "A's viewer left relay A once its new session decoded",
        () -> viewers(a) == 0,
        Duration.ofSeconds(20));
    Await.until(
        "relay A, empty, completes its lifecycle action",
        () -> !lifecycle.calls("CompleteLifecycleAction", a.instanceId()).isEmpty(),
        Duration.ofSeconds(20));
    Instant completedAt = Instant.now();
    assertThat(lifecycle.calls("CompleteLifecycleAction", a.instanceId()).get(0).params())
        .containsEntry("LifecycleActionResult", "CONTINUE")
        .containsEntry("LifecycleHookName", "liffey-drain")
        .containsEntry("AutoScalingGroupName", EmulatedEdge.relayGroupName(REGION));
    assertThat(Duration.between(drainAt, completedAt))
        .as("emptied by the reconnect, not by the drain bound of %s", DRAIN_MAX)
        .isLessThan(Duration.ofSeconds(30));

    // C asked nobody to reconnect: its viewer stays, and its drain waits for it.
    Thread.sleep(
        Math.max(0, QUIET_WAIT.toMillis() - Duration.between(cDraining, Instant.now()).toMillis()));
    assertThat(viewers(c)).as("C's viewer stays on C").isEqualTo(1);
    assertThat(viewers(b)).as("only A's viewer came to B").isEqualTo(1);
    assertThat(lifecycle.calls("CompleteLifecycleAction", c.instanceId()))
        .as("C's drain still waits for its viewer")
        .isEmpty();
    assertThat(lifecycle.calls("CompleteLifecycleAction", b.instanceId())).isEmpty();

    JsonNode results = watching.results();
    JsonNode onA = results.get(0);
    JsonNode onC = results.get(1);
    assertThat(onA.path("status").asInt()).as(onA.toString()).isEqualTo(201);
    assertThat(onA.path("events_status").asInt()).as(onA.toString()).isEqualTo(201);
    assertThat(onA.path("event_stream_status").asInt()).as(onA.toString()).isEqualTo(200);
    assertThat(onA.path("reconnect_url").asText()).as(onA.toString()).isEqualTo("/whep/match");
    assertThat(onA.path("reconnect_status").asInt()).as(onA.toString()).isEqualTo(201);
    assertThat(onA.path("reconnects").size()).as(onA.toString()).isEqualTo(1);
    double eventAt = onA.path("reconnect_event_at").asDouble();
    double newFirstFrameAt = onA.path("new_first_frame_at").asDouble();
    double oldDeletedAt = onA.path("old_deleted_at").asDouble();
    assertThat(onA.path("new_first_frame_at").isNumber()).as(onA.toString()).isTrue();
    assertThat(onA.path("old_deleted_at").isNumber()).as(onA.toString()).isTrue();
    assertThat(newFirstFrameAt)
        .as("the new session decoded before the old one was deleted: " + onA)
        .isGreaterThan(eventAt)
        .isLessThan(oldDeletedAt);
    assertThat(onA.path("old_delete_status").asInt()).as(onA.toString()).isEqualTo(200);
    assertThat(onA.path("delete_status").asInt()).as("left B at the end: " + onA).isEqualTo(200);
    List<Integer> perSecond = new ArrayList<>();
    onA.path("frames_by_second").forEach(n -> perSecond.add(n.asInt()));
    assertThat(WebRtcViewers.fullSeconds(perSecond)).as(onA.toString()).isGreaterThanOrEqualTo(20);
    assertThat(onA.path("longest_gap_ms").asInt())
        .as("frames kept coming across the switch (a rejoin after leaving takes ~2 s): " + onA)
        .isLessThan(2_000);

    assertThat(onC.path("status").asInt()).as(onC.toString()).isEqualTo(201);
    assertThat(onC.path("events_status").isNull()).as("no events Link: " + onC).isTrue();
    assertThat(onC.path("reconnect_event_at").isNull()).as(onC.toString()).isTrue();
    assertThat(onC.path("reconnects").size()).as(onC.toString()).isZero();
    assertThat(onC.path("delete_status").asInt()).as(onC.toString()).isEqualTo(200);

    System.out.printf(
        "reconnect: event to the new session's first frame %.0f ms, to the old one's DELETE %.0f"
            + " ms; longest gap %d ms (at the switch %d ms); drain start (IMDS) to CONTINUE %d ms"
            + " (A seen draining to CONTINUE %d ms)%n",
        (newFirstFrameAt - eventAt) * 1000,
        (oldDeletedAt - eventAt) * 1000,
        onA.path("longest_gap_ms").asInt(),
        onA.path("switch_gap_ms").asInt(),
        Duration.between(drainAt, completedAt).toMillis(),
        Duration.between(drainSeen, completedAt).toMillis());
  }

  private int viewers(Relay r) throws Exception {
    return health(r).path("viewers").asInt();
  }

  private boolean draining(Relay r) throws Exception {
    return health(r).path("state").asText().equals("draining");
  }

  private JsonNode health(Relay r) throws Exception {
    return new ObjectMapper()
        .readTree(
            http.send(
                    HttpRequest.newBuilder(r.relay().agent.base().resolve("/health"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
  }
}
