package dev.liffey.autoscaler.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.sim.BundledTraces;
import dev.liffey.autoscaler.sim.InMemoryControlStore;
import dev.liffey.autoscaler.sim.SimulatedCloud;
import dev.liffey.autoscaler.sim.Simulation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(HealthServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A replica's leadership as the test sets it. */
  private static final class Switch implements Leadership {
    volatile boolean leading = true;
    volatile boolean reachesApi = true;

    @Override
    public boolean isLeader() {
      return leading;
    }

    @Override
    public boolean holdsFor(Duration spare) {
      return leading;
    }

    @Override
    public long token() {
      return 1;
    }

    @Override
    public boolean ready() {
      return reachesApi;
    }
  }

  @Test
  void
      readyOnlyAfterAGoodTick_metricsCountTicksAndActions_andAFollowerStandsByOnlyWhileItReachesTheApiServer()
          throws Exception {
    var config = TestConfigs.repository();
    SimulatedCloud cloud =
        new SimulatedCloud(config, BundledTraces.viralSpike(config), Simulation.DEFAULT_START);
    ControlLoop loop =
        new ControlLoop(
            new LiffeyPolicy(config),
            cloud,
            cloud,
            cloud,
            cloud,
            new InMemoryControlStore(ControlState.EMPTY),
            cloud,
            false);
    Switch leadership = new Switch();
    DaemonMetrics metrics = new DaemonMetrics(leadership::isLeader);
    LiveDriver driver =
        new LiveDriver(
            loop,
            false,
            leadership,
            Duration.ofSeconds(8),
            Duration.ofSeconds(5),
            metrics,
            r -> {});

    try (HealthServer server =
        new HealthServer("127.0.0.1", 0, metrics, leadership, Duration.ofSeconds(30))) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(server, "/readyz").body()).isEqualTo("no tick has succeeded yet\n");
      // Counted from the start before the first good tick: NaN would never cross an alert's
      // bound, and a leader whose first tick hangs would go silent unnoticed.
      assertThat(get(server, "/metrics").body())
          .containsPattern("\nliffey_last_tick_age_seconds [0-9]");

      driver.tick();

      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
      String scrape = get(server, "/metrics").body();
      assertThat(scrape)
          .contains("liffey_ticks_total{outcome=\"ok\"} 1.0")
          .contains("liffey_decisions_changed_total{policy=\"liffey\"} 1.0")
          .containsPattern("liffey_actuations_total\\{kind=\"relay\"\\} [1-9]")
          .contains("liffey_leader 1.0")
          .contains("liffey_leader_changes_total{change=\"gained\"} 0.0")
          .contains("liffey_reads_failed_total{input=\"Kubernetes services\"} 0.0")
          .contains("liffey_reads_failed_total{input=\"routing weights\"} 0.0")
          .contains("liffey_ticks_abandoned_total 0.0")
          .contains("liffey_tick_duration_seconds_count 1")
          .containsPattern("liffey_viewers_forecast\\{horizon=\"42s\",market=\"IE\"\\} \\d")
          .containsPattern("liffey_viewers_observed\\{market=\"IE\"\\} \\d");

      leadership.leading = false;
      metrics.leaderChanged(false);
      driver.tick();

      assertThat(get(server, "/readyz").body()).isEqualTo("standing by for the leader\n");
      assertThat(get(server, "/metrics").body())
          .contains("liffey_ticks_total{outcome=\"standby\"} 1.0")
          .contains("liffey_leader 0.0")
          .contains("liffey_leader_changes_total{change=\"lost\"} 1.0")
          // A standby's frozen viewers would add to the leader's in a sum, and keep alerts firing.
          .doesNotContain("liffey_viewers_observed")
          .doesNotContain("liffey_viewers_forecast");

      leadership.leading = true;
      metrics.leaderChanged(true);
      driver.tick();

      assertThat(get(server, "/metrics").body())
          .containsPattern("liffey_viewers_forecast\\{horizon=\"42s\",market=\"IE\"\\} \\d")
          .containsPattern("liffey_viewers_observed\\{market=\"IE\"\\} \\d");
      leadership.leading = false;
      metrics.leaderChanged(false);

      leadership.reachesApi = false;

      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(server, "/readyz").body()).contains("Kubernetes API server has not answered");
    }
  }
}
