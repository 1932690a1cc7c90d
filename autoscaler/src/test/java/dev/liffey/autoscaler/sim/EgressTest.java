package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Egress is billed on what each region served: viewer-seconds x the bitrate x the region's price.
 */
class EgressTest {

  /** The repository's file with Frankfurt's egress at 0.12 USD/GB and viewers at 4 Mbit/s. */
  private static EdgeConfig pricier() throws Exception {
    String yaml = Files.readString(Path.of("..", EdgeConfigLoader.DEFAULT_FILE));
    String frankfurt = "vpcCidr: 10.42.0.0/16\n    natGateways: 3\n    egressUsdPerGb: 0.09\n";
    assertThat(yaml).contains(frankfurt).contains("viewerBitrateMbps: 2.5\n");
    yaml =
        yaml.replace(frankfurt, frankfurt.replace("0.09", "0.12"))
            .replace("viewerBitrateMbps: 2.5\n", "viewerBitrateMbps: 4\n");
    return new EdgeConfigLoader(Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC))
        .parse("edge-regions.yaml", yaml)
        .config();
  }

  @Test
  void aRunsEgressIsEachRegionsServedViewerSecondsTimesTheBitrateTimesItsPrice() throws Exception {
    EdgeConfig config = pricier();
    // GB's viewers go to London (0.09 USD/GB), Germany's to Frankfurt (0.12), for ten minutes.
    Trace trace =
        new TraceParser(config)
            .parse(
                "two.csv",
                new StringReader(
                    "t,kind,key,value\n0,viewers,GB,3000\n0,viewers,DE,2000\n600,viewers,GB,3000\n600,viewers,DE,2000\n"));
    SimulatedCloud cloud = new SimulatedCloud(config, trace, Simulation.DEFAULT_START);
    cloud.startWith(Map.of(FleetId.relay("eu-west-2"), 10, FleetId.relay("eu-central-1"), 10));
    for (int i = 0; i < 60; i++) {
      cloud.step(Duration.ofSeconds(10));
    }

    Scorecard card = cloud.scorecard("none");

    double london = 3000 * 600.0;
    double frankfurt = 2000 * 600.0;
    double gbPerViewerSecond = 4e6 / 8 / 1e9;
    assertThat(card.servedViewerSeconds()).isCloseTo(london + frankfurt, within(1e-3));
    assertThat(card.egressUsd())
        .isCloseTo((london * 0.09 + frankfurt * 0.12) * gbPerViewerSecond, within(1e-9));
    // Compute stays compute: egress is beside the fleets' cost, never in it.
    assertThat(card.costUsd())
        .isCloseTo(
            cloud.costByKind().values().stream().mapToDouble(Double::doubleValue).sum(),
            within(1e-9));
  }
}
