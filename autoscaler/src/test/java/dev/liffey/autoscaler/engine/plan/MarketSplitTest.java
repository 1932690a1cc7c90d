package dev.liffey.autoscaler.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketSplitTest {
  private static final Duration BOOT = Duration.ofSeconds(105);
  private static final Map<String, Double> ALL_TO_LONDON =
      Map.of("eu-west-1", 0.0, "eu-west-2", 1.0);

  @Test
  void afterAShift_theDestinationGetsTheJoinsOfTheHorizon_andTheSourceKeepsItsSessions() {
    // 20,000 Irish viewers on Dublin, 15-minute sessions: 22.2 a second leave, and as many join.
    MarketSplit split =
        new MarketSplit(Map.of("eu-west-1", 20_000.0, "eu-west-2", 0.0), ALL_TO_LONDON, 22.2);

    assertThat(split.viewers("eu-west-2", 20_000, BOOT)).isCloseTo(2_331, within(1.0));
    assertThat(split.viewers("eu-west-1", 20_000, BOOT)).isCloseTo(17_669, within(1.0));
  }

  @Test
  void aRegionHandingOver_keepsOnlyThoseWhosePlayersIgnoreTheEvent_theRestLandByTheShares() {
    // As above, but Dublin's relays ask their players to reconnect, 80% of them follow, and London
    // has room for them all.
    MarketSplit base =
        new MarketSplit(Map.of("eu-west-1", 20_000.0, "eu-west-2", 0.0), ALL_TO_LONDON, 22.2);
    MarketSplit split = base.handingOver(Map.of("eu-west-1", 0.8), Map.of("eu-west-1", 0.8));

    // The 4,000 who stay leave as the market does: 22.2 x 0.2 a second, 466 over the boot.
    assertThat(split.viewers("eu-west-1", 20_000, BOOT)).isCloseTo(4_000 - 466, within(1.0));
    assertThat(split.viewers("eu-west-2", 20_000, BOOT)).isCloseTo(16_000 + 466, within(1.0));
    assertThat(split.handsOver("eu-west-1")).isTrue();
    assertThat(split.handsOver("eu-west-2")).isFalse();
    assertThat(base.handingOver(Map.of(), Map.of())).isSameAs(base);
  }

  @Test
  void aRegionHandingOverFasterThanRoomIsMade_keepsRelaysForThoseWaiting_andLondonPlansForAll() {
    // London has room for a quarter of Dublin's viewers now: Dublin keeps relays for the 11,000
    // who would follow but cannot yet move, and London is planned for all 16,000 who follow.
    MarketSplit split =
        new MarketSplit(Map.of("eu-west-1", 20_000.0, "eu-west-2", 0.0), ALL_TO_LONDON, 22.2)
            .handingOver(Map.of("eu-west-1", 0.8), Map.of("eu-west-1", 0.25));

    assertThat(split.viewers("eu-west-1", 20_000, BOOT))
        .isCloseTo((4_000 + 11_000) * (1 - 466 / 4_000.0), within(1.0));
    assertThat(split.viewers("eu-west-2", 20_000, BOOT)).isCloseTo(16_000 + 466, within(1.0));
  }

  @Test
  void aGrowingMarket_keepsEveryoneWatching_andItsNewViewersLandByTheShares() {
    // 10,000 joins in the horizon, all of them growth: nobody leaves.
    MarketSplit split =
        new MarketSplit(Map.of("eu-west-1", 10_000.0, "eu-west-2", 0.0), ALL_TO_LONDON, 0);

    assertThat(split.viewers("eu-west-1", 20_000, BOOT)).isCloseTo(10_000, within(1.0));
    assertThat(split.viewers("eu-west-2", 20_000, BOOT)).isCloseTo(10_000, within(1.0));
  }

  @Test
  void aCollapse_leavesEachRegionItsShareOfWhoStays_andNoMoreThanTheMarket() {
    MarketSplit split =
        new MarketSplit(Map.of("eu-west-1", 60_000.0, "eu-west-2", 0.0), ALL_TO_LONDON, 10);

    double dublin = split.viewers("eu-west-1", 6_000, BOOT);
    double london = split.viewers("eu-west-2", 6_000, BOOT);

    assertThat(dublin + london).isCloseTo(6_000, within(1.0));
    assertThat(london).as("the horizon's joins").isCloseTo(1_050, within(1.0));
  }

  @Test
  void burstyDepartures_askEachRegionForTheSideOfTheirSpreadThatLoadsIt() {
    // 22.2 leaving a second on average, one period's 500 from it at the forecast quantile: 105 s
    // spans 10.5 periods, so 500 x sqrt(10.5) = 1,620 more or fewer than the mean's 2,331.
    MarketSplit split =
        new MarketSplit(Map.of("eu-west-1", 20_000.0, "eu-west-2", 0.0), ALL_TO_LONDON, 22.2, 500);

    // London gets every join: as many as leave at the quantile, 2,331 + 1,620.
    assertThat(split.viewers("eu-west-2", 20_000, BOOT)).isCloseTo(3_951, within(1.0));
    // Dublin gets none: it keeps everyone who may stay, 20,000 - (2,331 - 1,620), not the 16,049
    // that the most departures would leave it.
    assertThat(split.viewers("eu-west-1", 20_000, BOOT)).isCloseTo(19_289, within(1.0));
    assertThat(split.viewersLeavingFast("eu-west-1", 20_000, BOOT)).isCloseTo(16_049, within(1.0));
  }

  @Test
  void departuresBelowTheirSpread_leaveNobodyAtTheLowerQuantile_andNeverAddViewers() {
    // The spread above the mean: at the lower quantile nobody leaves within the horizon.
    MarketSplit split =
        new MarketSplit(Map.of("eu-west-1", 20_000.0, "eu-west-2", 0.0), ALL_TO_LONDON, 5, 2_000);

    assertThat(split.viewers("eu-west-1", 20_000, BOOT)).isCloseTo(20_000, within(1e-6));
  }

  @Test
  void aMarketNobodyWatchesYet_landsWhollyByTheShares() {
    MarketSplit split = new MarketSplit(Map.of(), Map.of("eu-west-1", 0.7, "eu-west-2", 0.3), 0);

    assertThat(split.viewers("eu-west-1", 10_000, BOOT)).isCloseTo(7_000, within(1e-6));
    assertThat(split.viewers("eu-west-2", 10_000, BOOT)).isCloseTo(3_000, within(1e-6));
  }

  @Test
  void joinsThatCouldNotBeRead_landEveryViewerByTheShares() {
    MarketSplit split =
        new MarketSplit(
            Map.of("eu-west-1", 20_000.0, "eu-west-2", 0.0),
            ALL_TO_LONDON,
            Double.POSITIVE_INFINITY);

    assertThat(split.viewers("eu-west-2", 20_000, BOOT)).isCloseTo(20_000, within(1e-6));
    assertThat(split.viewers("eu-west-1", 20_000, BOOT)).isZero();
  }
}
