package dev.liffey.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.Sample;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real relays that pack (each a Janus and the agent's jar, {@code --pack-to 3}), announcing
 * their counts in the control table in the AWS emulator. Every viewer's join reaches relay B, as a
 * load balancer might send them all: B passes the first three to relay A (the lower id), which
 * fills to the target before B takes any, and the viewers watch from the relay that admitted them.
 * A draining relay passes a newcomer on instead of refusing it. Each publishes whether it holds
 * viewers in service, and the autoscaler's metrics source counts those a scale-in leaves alone.
 */
class PackedRelaysIT extends EdgeProcessesTest {
  private static final String REGION = "eu-west-1";
  private static final String A = "i-0aaaaaaaaaaaaaaa1";
  private static final String B = "i-0bbbbbbbbbbbbbbb2";

  private TestRelay relay(
      String name, FakeImds imds, Path tokenKey, LifecycleRecorder lifecycle, int rtpFrom)
      throws Exception {
    return running(
        TestRelay.start(
            dir,
            name,
            tokenKey,
            rtpFrom,
            relayEnvironment(imds, lifecycle),
            controlTableRelay(
                REGION, "--pack-to", "3", "--pack-poll", "500ms", "--heartbeat-interval", "3s")));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void joinsFillOneRelayToTheTargetBeforeTheNext_andADrainingRelayPassesNewcomersOn()
      throws Exception {
    DynamoDbControlStore.of(config, aws).createTableIfMissing();
    ViewerTokens issuer = new ViewerTokens("2026-12");
    Path key = issuer.publicKeyPem(Files.createDirectories(dir.resolve("keys")));
    LifecycleRecorder lifecycle = running(new LifecycleRecorder(emulator.endpoint()));
    FakeImds imdsA = running(new FakeImds(A));
    FakeImds imdsB = running(new FakeImds(B));
    TestRelay a = relay("relay-a", imdsA, key, lifecycle, 40200);
    TestRelay b = relay("relay-b", imdsB, key, lifecycle, 40300);
    running(new TestFeed(dir, List.of(a.janus, b.janus)));
    Await.until(
        "both relays announce themselves in the control table",
        () -> registry().size() == 2,
        Duration.ofSeconds(30));

    // Five viewers, every join through relay B.
    List<WebRtcViewers.Spec> specs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      specs.add(
          new WebRtcViewers.Spec(
              "v" + i, b.whep("match"), issuer.token("IE", "match", "viewer-" + i), 90));
    }
    WebRtcViewers.Run watching = WebRtcViewers.start(dir, "viewers", specs);
    Await.until(
        "relay A holds 3 viewers and relay B 2",
        () -> watching(a) == 3 && watching(b) == 2,
        Duration.ofSeconds(45));
    Await.until(
        "the registry says so",
        () -> registry().get(A).equals("3 serving") && registry().get(B).equals("2 serving"),
        Duration.ofSeconds(10));
    // And CloudWatch: the autoscaler reads two relays in service holding viewers, which a
    // scale-in leaves alone.
    Await.until(
        "the autoscaler reads 2 relays holding viewers",
        () -> holding() == 2,
        Duration.ofSeconds(30));

    // Relay A's group terminates it: a newcomer whose join reaches it is passed to relay B.
    imdsA.lifecycleState("Terminated");
    Await.until(
        "relay A drains, and says so in the registry",
        () -> registry().get(A).equals("3 draining"),
        Duration.ofSeconds(30));
    // Out of service, it no longer counts as one to keep, though it holds its 3.
    Await.until(
        "the autoscaler reads 1 relay holding viewers",
        () -> holding() == 1,
        Duration.ofSeconds(30));
    HttpResponse<String> newcomer =
        http.send(
            HttpRequest.newBuilder(URI.create(a.whep("match")))
                .header("Authorization", "Bearer " + issuer.token("IE", "match", "newcomer"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(newcomer.statusCode()).as(newcomer.body()).isEqualTo(201);
    String location = newcomer.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/whep/match/127.0.0.1_" + b.agent.port + "_");
    assertThat(health(b).path("viewers").asInt()).as("B holds the newcomer too").isEqualTo(3);
    // It leaves through relay A, which passes its DELETE to B by its id.
    HttpResponse<String> left =
        http.send(
            HttpRequest.newBuilder(a.agent.base().resolve(location)).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(left.statusCode()).isEqualTo(200);

    // Every viewer watched from the relay that admitted it, A's through its drain.
    for (JsonNode v : watching.results()) {
      assertThat(v.path("status").asInt()).as(v.toString()).isEqualTo(201);
      List<Integer> perSecond = new ArrayList<>();
      v.path("frames_by_second").forEach(n -> perSecond.add(n.asInt()));
      assertThat(WebRtcViewers.fullSeconds(perSecond)).as(v.toString()).isGreaterThanOrEqualTo(20);
      assertThat(v.path("delete_status").asInt()).as(v.toString()).isEqualTo(200);
    }

    // A stopped agent takes its entry out.
    b.agent.close();
    Await.until(
        "relay B's entry is gone once its agent stopped",
        () -> !registry().containsKey(B),
        Duration.ofSeconds(15));
  }

  /** The relays in service holding viewers, as the autoscaler reads the relays' metrics. */
  private double holding() {
    Sample s =
        new CloudWatchMetricsSource(config, aws::cloudWatch, Instant::now)
            .read()
            .relaysHoldingViewers()
            .get(REGION);
    return s == null ? -1 : s.value();
  }

  /** The region's relays in the control table: id to "viewers serving|draining". */
  private Map<String, String> registry() {
    Map<String, String> out = new java.util.TreeMap<>();
    controlTableItems("relays#" + REGION)
        .forEach(
            i ->
                out.put(
                    i.get("sk").s(),
                    i.get("viewers").n() + (i.get("draining").bool() ? " draining" : " serving")));
    return out;
  }

  private int watching(TestRelay r) throws Exception {
    return health(r).path("watching").path("IE").asInt();
  }

  private JsonNode health(TestRelay r) throws Exception {
    return new ObjectMapper()
        .readTree(
            http.send(
                    HttpRequest.newBuilder(r.agent.base().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
  }
}
