package dev.liffey.it.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many decoding WebRTC viewers this machine holds beside one relay (a real Janus and the agent,
 * fed by FFmpeg): more viewers each step, until they no longer decode 20 frames a second. Writes
 * {@code target/edge-capacity.md}. A benchmark, not a test of the build: run it with {@code mvn -B
 * verify -pl integration-tests -Pedge-capacity}.
 */
class RelayCapacityBench {
  private static final int[] STEPS = {8, 16, 24, 32, 40, 48};
  private static final int WATCH_SECONDS = 30;
  @TempDir Path dir;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void viewersJoinInStepsUntilTheyNoLongerDecodeTwentyFramesASecond() throws Exception {
    WebRtcViewers.install();
    ViewerTokens issuer = new ViewerTokens("bench");
    Path key = issuer.publicKeyPem(Files.createDirectories(dir.resolve("keys")));
    StringBuilder md =
        new StringBuilder(
            "| viewers | joined | decoded fps a viewer (min / median) | Janus | agent | viewers"
                + " (aiortc, decoding) |\n| ---: | ---: | --- | ---: | ---: | ---: |\n");
    double firstMedian = 0;
    try (TestRelay relay =
            TestRelay.start(
                dir,
                "relay",
                key,
                40000,
                Map.of(),
                List.of(
                    "--region",
                    "eu-west-1",
                    "--market",
                    "IE",
                    "--no-aws",
                    // Every test viewer comes from this machine's one address.
                    "--address-limit",
                    "1000/1s"));
        TestFeed feed = new TestFeed(dir, List.of(relay.janus))) {
      for (int n : STEPS) {
        Step s = step(relay, issuer, n);
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %d | %.1f / %.1f | %.0f%% of a core | %.0f%% | %.0f%% |%n",
                n,
                s.joined,
                s.minFps,
                s.medianFps,
                s.janusCores * 100,
                s.agentCores * 100,
                s.viewerCores * 100));
        if (n == STEPS[0]) {
          firstMedian = s.medianFps;
        }
        if (s.medianFps < 20 || s.joined < n) {
          break;
        }
      }
    }
    Files.writeString(Path.of("target", "edge-capacity.md"), md);
    assertThat(firstMedian).as("the smallest step is served at 20 fps").isGreaterThanOrEqualTo(20);
  }

  private record Step(
      int joined,
      double minFps,
      double medianFps,
      double janusCores,
      double agentCores,
      double viewerCores) {}

  /** {@code n} viewers for {@link #WATCH_SECONDS}, in two processes (the machine's two cores). */
  private Step step(TestRelay relay, ViewerTokens issuer, int n) throws Exception {
    List<List<WebRtcViewers.Spec>> halves = List.of(new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < n; i++) {
      halves
          .get(i % 2)
          .add(
              new WebRtcViewers.Spec(
                  "v" + n + "-" + i,
                  relay.whep("match"),
                  issuer.token("IE", "match", "bench-" + n + "-" + i),
                  WATCH_SECONDS));
    }
    List<WebRtcViewers.Run> runs = new ArrayList<>();
    for (int h = 0; h < 2; h++) {
      runs.add(WebRtcViewers.start(dir, "step" + n + "-" + h, halves.get(h)));
    }
    Thread.sleep(10_000); // joined and settled
    CpuTime janus = new CpuTime(relay.janus.pid());
    CpuTime agent = new CpuTime(relay.agent.pid());
    List<CpuTime> viewers = new ArrayList<>();
    for (WebRtcViewers.Run r : runs) {
      viewers.add(new CpuTime(r.pid()));
    }
    Thread.sleep(15_000);
    double viewerCores = 0;
    for (CpuTime c : viewers) {
      viewerCores += c.coresSince();
    }
    double janusCores = janus.coresSince();
    double agentCores = agent.coresSince();
    List<Double> fps = new ArrayList<>();
    int joined = 0;
    for (WebRtcViewers.Run r : runs) {
      for (JsonNode v : r.results()) {
        if (v.path("status").asInt() == 201 && v.path("join_ms").isNumber()) {
          joined++;
        }
        List<Integer> perSecond = new ArrayList<>();
        v.path("frames_by_second").forEach(f -> perSecond.add(f.asInt()));
        fps.add(
            perSecond.size() <= 2
                ? 0
                : perSecond.subList(1, perSecond.size() - 1).stream()
                    .mapToInt(Integer::intValue)
                    .average()
                    .orElse(0));
      }
    }
    fps.sort(null);
    return new Step(
        joined, fps.get(0), fps.get(fps.size() / 2), janusCores, agentCores, viewerCores);
  }
}
