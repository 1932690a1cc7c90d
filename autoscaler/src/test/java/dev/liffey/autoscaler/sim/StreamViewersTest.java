package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Viewers spread over a region's live streams; those on a stream its GPUs cannot transcode see
 * nothing.
 */
class StreamViewersTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final FleetId DUBLIN_L4 = FleetId.transcode("eu-west-1", "g6.2xlarge");
  private static final FleetId LONDON_L4 = FleetId.transcode("eu-west-2", "g6.2xlarge");
  private static final double DUBLIN_SHARE = 200 / 255.0;

  /**
   * Ireland's viewers on Dublin (4 relays, 6,000 slots) and London (10 relays), one L4 (10 streams)
   * in each; EC2 has no more GPUs in Dublin, however many the group asks for. Ten minutes.
   */
  private static Scorecard run(int irishViewers, int dublinStreams) throws Exception {
    Trace trace =
        new TraceParser(CONFIG)
            .parse(
                "shortage.csv",
                new StringReader(
                    "t,kind,key,value\n"
                        + "0,viewers,IE,"
                        + irishViewers
                        + "\n0,streams,eu-west-1,"
                        + dublinStreams
                        + "\n0,streams,eu-west-2,5\n"
                        + "0,shortage,eu-west-1/g6.2xlarge,1\n0,shortage,eu-west-1/g5.2xlarge,0\n0,shortage,eu-west-1/g4dn.2xlarge,0\n"
                        + "600,viewers,IE,"
                        + irishViewers
                        + "\n"));
    SimulatedCloud cloud = new SimulatedCloud(CONFIG, trace, Simulation.DEFAULT_START);
    cloud.startWith(
        Map.of(
            FleetId.relay("eu-west-1"),
            4,
            FleetId.relay("eu-west-2"),
            10,
            DUBLIN_L4,
            1,
            LONDON_L4,
            1));
    cloud.step(Duration.ofSeconds(10)); // the shortage is in force from here
    cloud.setCapacity(DUBLIN_L4, 3, 0);
    cloud.setCapacity(FleetId.transcode("eu-west-1", "g5.2xlarge"), 3, 0);
    for (int i = 1; i < 60; i++) {
      cloud.step(Duration.ofSeconds(10));
    }
    return cloud.scorecard("none");
  }

  @Test
  void theViewersOfStreamsAboveTheTranscodersCapacityAreUnserved_asTheirShareOfTheRegionsStreams()
      throws Exception {
    Scorecard card = run(5_000, 25); // 25 streams on Dublin's 10 slots: 15 of them untranscoded

    double dublin = 5_000 * DUBLIN_SHARE * 600;
    assertThat(card.unservedStreamSeconds()).isCloseTo(15 * 600, within(1e-6));
    assertThat(card.unservedByCause().get("streamNotTranscoded"))
        .isCloseTo(dublin * 15 / 25, within(1e-3));
    assertThat(card.unservedViewerSeconds()).isCloseTo(dublin * 15 / 25, within(1e-3));
    assertThat(card.servedViewerSeconds()).isCloseTo(5_000 * 600 - dublin * 15 / 25, within(1e-3));
  }

  @Test
  void onlyViewersWhoGotARelaySlotAreLostForWantOfATranscode_soNoViewerCountsTwice()
      throws Exception {
    Scorecard card =
        run(10_000, 25); // 7,843 sent to Dublin's 6,000 slots: refused joins, Dublin full

    assertThat(card.unservedByCause().get("noRelaySlot")).isPositive();
    assertThat(card.unservedByCause().get("streamNotTranscoded"))
        .isCloseTo(6_000 * 600.0 * 15 / 25, within(1e-3));
    // Served and unserved together are everyone who wanted to watch, once.
    assertThat(card.servedViewerSeconds() + card.unservedViewerSeconds())
        .isCloseTo(10_000 * 600.0, within(1e-3));
  }

  @Test
  void noViewerIsLostWhenTheTranscodersCarryEveryStream() throws Exception {
    Scorecard card = run(5_000, 8);

    assertThat(card.unservedStreamSeconds()).isZero();
    assertThat(card.unservedByCause().get("streamNotTranscoded")).isZero();
    assertThat(card.servedViewerSeconds()).isCloseTo(5_000 * 600.0, within(1e-3));
  }
}
