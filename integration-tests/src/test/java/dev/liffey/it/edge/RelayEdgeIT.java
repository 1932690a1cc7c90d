package dev.liffey.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.daemon.LiveControlLoop;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.Fence;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.engine.TickReport;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.autoscaling.model.Instance;

/**
 * Two relays on this machine, each a real Janus and the real relay agent's jar, fed one live stream
 * by FFmpeg, watched by real WebRTC viewers (aiortc) who join by WHEP with tokens for two markets;
 * the agents publish to the AWS emulator and drain on a lifecycle state from a fake IMDS.
 */
class RelayEdgeIT extends EmulatorTest {
  private static final String REGION = "eu-west-1";
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> running = new ArrayList<>();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private <T extends AutoCloseable> T running(T t) {
    running.add(0, t);
    return t;
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  /** One relay, and the IMDS it reads. */
  private record Relay(TestRelay relay, FakeImds imds, String instanceId) {
    JanusServer janus() {
      return relay.janus;
    }

    RelayAgent agent() {
      return relay.agent;
    }

    String whep(String stream) {
      return relay.whep(stream);
    }
  }

  private Relay relay(
      String name, String instanceId, Path tokenKey, LifecycleRecorder lifecycle, int rtpFrom)
      throws Exception {
    FakeImds imds = running(new FakeImds(instanceId));
    TestRelay relay =
        running(
            TestRelay.start(
                dir,
                name,
                tokenKey,
                rtpFrom,
                Map.of(
                    "AWS_ENDPOINT_URL", emulator.endpoint().toString(),
                    "AWS_ENDPOINT_URL_AUTO_SCALING", lifecycle.endpoint().toString(),
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", "testing",
                    "AWS_SECRET_ACCESS_KEY", "testing"),
                List.of(
                    "--turn-url",
                    "turn:127.0.0.1:3478?transport=udp",
                    "--turn-secret-file",
                    Files.writeString(dir.resolve(name + "-turn-secret"), "coturn-shared-secret")
                        .toString(),
                    "--region",
                    REGION,
                    "--market",
                    "IE,GB",
                    "--publish-interval",
                    "10s",
                    "--heartbeat-interval",
                    "3s")));
    return new Relay(relay, imds, instanceId);
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void viewersAdmittedAtTheEdgeWatch_areCountedPerMarketAcrossRelays_andADrainDropsNobody()
      throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    List<String> instances =
        aws
            .autoScaling(REGION)
            .describeAutoScalingGroups(
                b -> b.autoScalingGroupNames(EmulatedEdge.relayGroupName(REGION)))
            .autoScalingGroups()
            .get(0)
            .instances()
            .stream()
            .map(Instance::instanceId)
            .toList();
    ViewerTokens issuer = new ViewerTokens("2026-12");
    Path key = issuer.publicKeyPem(Files.createDirectories(dir.resolve("keys")));
    LifecycleRecorder lifecycle = running(new LifecycleRecorder(emulator.endpoint()));
    Relay a = relay("relay-a", instances.get(0), key, lifecycle, 40000);
    Relay b = relay("relay-b", instances.get(1), key, lifecycle, 40100);
    running(new TestFeed(dir, List.of(a.janus(), b.janus())));

    // Six viewers on relay A (4 Irish, 2 British) and two on relay B (1 and 1), for 60 s.
    List<WebRtcViewers.Spec> specs = new ArrayList<>();
    String[][] who = {
      {"a", "IE"},
      {"a", "IE"},
      {"a", "IE"},
      {"a", "IE"},
      {"a", "GB"},
      {"a", "GB"},
      {"b", "IE"},
      {"b", "GB"}
    };
    for (int i = 0; i < who.length; i++) {
      Relay r = who[i][0].equals("a") ? a : b;
      specs.add(
          new WebRtcViewers.Spec(
              who[i][0] + i + "-" + who[i][1],
              r.whep("match"),
              issuer.token(who[i][1], "match", "viewer-" + i),
              60,
              // The first viewer's PATCH and DELETE reach relay B, as a load balancer may send
              // them: B passes them to relay A, which holds the viewer.
              i == 0 ? b.agent().base().toString() : null));
    }
    Instant started = Instant.now();
    WebRtcViewers.Run watching = WebRtcViewers.start(dir, "viewers", specs);

    // Forged and expired tokens are refused at the edge, and Janus never hears of them.
    Await.until(
        "every admitted viewer is watching on relay A",
        () -> health(a).path("watching").path("IE").asInt() == 4,
        Duration.ofSeconds(45));
    // CPU while the viewers watch: relay A's Janus and agent, and the viewers themselves.
    List<CpuTime> cpu =
        List.of(
            new CpuTime(a.janus().pid()),
            new CpuTime(a.agent().pid()),
            new CpuTime(watching.pid()));
    int sessionsBefore = janusSessions(a);
    String forged = new ViewerTokens("2026-12").token("IE", "match", "mallory");
    String expired = issuer.token("IE", "match", "late", Instant.now().minusSeconds(120));
    assertThat(post(a.whep("match"), forged).statusCode()).isEqualTo(401);
    assertThat(post(a.whep("match"), expired).statusCode()).isEqualTo(401);
    assertThat(post(a.whep("match"), issuer.token("DE", "match", "tourist")).statusCode())
        .isEqualTo(403);
    assertThat(post(a.whep("other"), issuer.token("IE", "other", "lost")).statusCode())
        .isEqualTo(404);
    assertThat(janusSessions(a)).isEqualTo(sessionsBefore);

    // The emulator's CloudWatch holds both relays' counts; the autoscaler's reader sums them.
    MarketRegion irish = new MarketRegion("IE", REGION);
    MarketRegion british = new MarketRegion("GB", REGION);
    Metrics[] read = new Metrics[1];
    Await.until(
        "CloudWatch sums 5 Irish and 3 British viewers over the two relays",
        () -> {
          read[0] = readMetrics();
          return read[0].viewers().containsKey(irish)
              && read[0].viewers().get(irish).value() == 5
              && read[0].viewers().get(british).value() == 3;
        },
        Duration.ofSeconds(45));

    double[] cores = new double[cpu.size()];
    for (int i = 0; i < cores.length; i++) {
      cores[i] = cpu.get(i).coresSince();
    }

    // A daemon tick on what the relays published plans Dublin's relays for the viewers they hold.
    // (London's relays, with nobody on them, report zeros, as they would.)
    DynamoDbControlStore.of(edge.config, aws).createTableIfMissing();
    edge.publish(Instant.now().minusSeconds(2), Map.of(), Map.of());
    TickReport report =
        LiveControlLoop.create(edge.config, aws, new NoKubernetes(), Instant::now, false)
            .tick(Fence.NONE);
    assertThat(report.unread()).isEmpty();
    Decision tick = report.decision();
    assertThat(tick.fleets())
        .filteredOn(p -> p.fleet().equals(FleetId.relay(REGION)))
        .singleElement()
        .satisfies(
            p -> {
              java.util.regex.Matcher m =
                  java.util.regex.Pattern.compile("forecast (\\d+) viewers").matcher(p.reason());
              assertThat(m.find()).as(p.reason()).isTrue();
              // Ireland's 5 split by the routing weights between Dublin and London, Britain's 3.
              assertThat(Integer.parseInt(m.group(1))).as(p.reason()).isBetween(4, 8);
            });

    // Relay A's group terminates it: it admits nobody new and keeps serving its viewers.
    Instant drainAt = Instant.now();
    a.imds().lifecycleState("Terminated");
    Await.until(
        "relay A reports draining",
        () -> health(a).path("state").asText().equals("draining"),
        Duration.ofSeconds(45));
    HttpResponse<String> refused = post(a.whep("match"), issuer.token("IE", "match", "newcomer"));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    HttpResponse<String> admitted = post(b.whep("match"), issuer.token("IE", "match", "newcomer"));
    assertThat(admitted.statusCode()).as("relay B still admits").isEqualTo(201);
    // With TURN credentials for a viewer whose network blocks direct UDP, and its events URL.
    assertThat(admitted.headers().allValues("Link"))
        .anyMatch(l -> l.contains("rel=\"urn:ietf:params:whep:ext:core:server-sent-events\""));
    assertThat(admitted.headers().allValues("Link"))
        .filteredOn(l -> l.contains("rel=\"ice-server\""))
        .singleElement()
        .asString()
        .startsWith("<turn:127.0.0.1:3478?transport=udp>; rel=\"ice-server\"; username=\"")
        .contains("credential-type=\"password\"");
    Await.until(
        "relay A heartbeats its lifecycle hook while its viewers watch",
        () -> !lifecycle.calls("RecordLifecycleActionHeartbeat", a.instanceId()).isEmpty(),
        Duration.ofSeconds(45));
    assertThat(lifecycle.calls("CompleteLifecycleAction", a.instanceId())).isEmpty();

    JsonNode results = watching.results();
    Instant viewersLeft = Instant.now();
    Await.until(
        "relay A completes its lifecycle action once its last viewer left",
        () -> !lifecycle.calls("CompleteLifecycleAction", a.instanceId()).isEmpty(),
        Duration.ofSeconds(45));
    LifecycleRecorder.Call complete =
        lifecycle.calls("CompleteLifecycleAction", a.instanceId()).get(0);
    assertThat(complete.params())
        .containsEntry("LifecycleActionResult", "CONTINUE")
        .containsEntry("LifecycleHookName", "liffey-drain")
        .containsEntry("AutoScalingGroupName", EmulatedEdge.relayGroupName(REGION));
    assertThat(lifecycle.calls("CompleteLifecycleAction", b.instanceId())).isEmpty();

    // Every viewer decoded at least 20 frames a second, before and after relay A began draining.
    for (JsonNode v : results) {
      assertThat(v.path("status").asInt()).as(v.toString()).isEqualTo(201);
      assertThat(v.path("join_ms").isNumber()).as(v.toString()).isTrue();
      long drainSecond = drainAt.getEpochSecond();
      List<Integer> before = new ArrayList<>();
      List<Integer> after = new ArrayList<>();
      v.path("frames_by_second")
          .properties()
          .forEach(
              e -> {
                long s = Long.parseLong(e.getKey());
                (s < drainSecond ? before : after).add(e.getValue().asInt());
              });
      assertThat(WebRtcViewers.fullSeconds(after))
          .as("%s after the drain began", v.path("name"))
          .isGreaterThanOrEqualTo(20);
      assertThat(WebRtcViewers.fullSeconds(before))
          .as("%s before", v.path("name"))
          .isGreaterThanOrEqualTo(20);
      assertThat(v.path("delete_status").asInt()).isEqualTo(200);
    }
    report(results, drainAt, cores);
  }

  /** What the README reports: join time, frame rate, CPU; written to target/edge-report.md. */
  private static void report(JsonNode results, Instant drainAt, double[] cores) throws Exception {
    List<Integer> joins = new ArrayList<>();
    List<Double> fps = new ArrayList<>();
    for (JsonNode v : results) {
      joins.add(v.path("join_ms").asInt());
      List<Integer> all = new ArrayList<>();
      v.path("frames_by_second").forEach(n -> all.add(n.asInt()));
      fps.add(WebRtcViewers.fullSeconds(all));
    }
    joins.sort(null);
    fps.sort(null);
    String md =
        String.format(
            java.util.Locale.ROOT,
            "| measure | value |%n| --- | --- |%n"
                + "| viewers | %d (6 on relay A, 2 on relay B) |%n"
                + "| join time, POST to first decoded frame | median %d ms, max %d ms |%n"
                + "| decoded frames a second per viewer | min %.1f, median %.1f (feed: 30) |%n"
                + "| relay A's Janus, 6 viewers | %.1f%% of a core (%.2f%% a viewer) |%n"
                + "| relay A's agent | %.1f%% of a core |%n"
                + "| the 8 aiortc viewers, decoding | %.1f%% of a core (%.1f%% a viewer) |%n",
            results.size(),
            joins.get(joins.size() / 2),
            joins.get(joins.size() - 1),
            fps.get(0),
            fps.get(fps.size() / 2),
            cores[0] * 100,
            cores[0] * 100 / 6,
            cores[1] * 100,
            cores[2] * 100,
            cores[2] * 100 / 8);
    Files.writeString(Path.of("target", "edge-report.md"), md);
  }

  private Metrics readMetrics() {
    return PartialRead.orPartial(
        () -> new CloudWatchMetricsSource(config, aws::cloudWatch, Instant::now).read());
  }

  private HttpResponse<String> post(String url, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode health(Relay r) throws Exception {
    HttpResponse<String> h =
        http.send(
            HttpRequest.newBuilder(r.agent().base().resolve("/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(h.body());
  }

  /** Sessions Janus holds, from its admin API. */
  private int janusSessions(Relay r) throws Exception {
    String body =
        "{\"janus\":\"list_sessions\",\"transaction\":\"t\",\"admin_secret\":\""
            + JanusServer.ADMIN_SECRET
            + "\"}";
    HttpResponse<String> h =
        http.send(
            HttpRequest.newBuilder(r.janus().admin())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(h.body())
        .path("sessions")
        .size();
  }
}
