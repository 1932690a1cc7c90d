package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.engine.forecast.DemandForecaster;
import dev.liffey.autoscaler.engine.forecast.Fall;
import dev.liffey.autoscaler.engine.forecast.Forecast;
import dev.liffey.autoscaler.engine.forecast.Quantiles;
import dev.liffey.autoscaler.engine.forecast.SeriesKey;
import dev.liffey.core.config.KnownEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemandForecasterTest {
  private static final SeriesKey IE = SeriesKey.viewers("IE");
  private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
  private static final Duration WARM_HORIZON = Duration.ofSeconds(42);

  private final DemandForecaster forecaster = new DemandForecaster(0.95, Map.of());

  private void feed(DemandForecaster f, double... values) {
    for (int i = 0; i < values.length; i++) {
      f.observe(IE, T0.plusSeconds(10L * i), values[i]);
    }
  }

  private Instant after(int samples) {
    return T0.plusSeconds(10L * (samples - 1));
  }

  @Test
  void aSteadyAudienceIsForecastAtItsLevel() {
    feed(forecaster, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000);

    Forecast f = forecaster.forecast(IE, after(8), WARM_HORIZON);

    assertThat(f.basis()).isEqualTo("trend");
    assertThat(f.expected()).isEqualTo(5000, within(1.0));
    assertThat(f.upper()).isBetween(5000.0, 5100.0);
  }

  @Test
  void aViralSpikeIsExtrapolatedExponentially_beforeTheCrowdArrives() {
    // x100 in two minutes: +3.8% a second
    double[] spike = new double[8];
    for (int i = 0; i < spike.length; i++) {
      spike[i] = 100 * Math.pow(100, i * 10 / 120.0);
    }
    feed(forecaster, spike);

    Forecast f = forecaster.forecast(IE, after(8), WARM_HORIZON);

    assertThat(f.basis()).startsWith("spike +3.");
    double actualIn42s = 100 * Math.pow(100, (70 + 42) / 120.0);
    assertThat(f.upper()).isGreaterThanOrEqualTo(actualIn42s);
    assertThat(f.upper()).isLessThanOrEqualTo(10 * spike[7] * 1.1);
  }

  @Test
  void aSpikeIsPlannedToGrowNoMoreThanTheConfiguredSurgeBoundOverAHorizon() {
    // x100 in two minutes, seen for 70 s: over a cold boot its rate alone says x40.
    double[] spike = new double[8];
    for (int i = 0; i < spike.length; i++) {
      spike[i] = 100 * Math.pow(100, i * 10 / 120.0);
    }
    DemandForecaster tenTimes = new DemandForecaster(0.95, 10, Map.of());
    DemandForecaster threeTimes = new DemandForecaster(0.95, 3, Map.of());
    feed(tenTimes, spike);
    feed(threeTimes, spike);
    Duration coldBoot = Duration.ofSeconds(105);

    Forecast ten = tenTimes.forecast(IE, after(8), coldBoot);
    Forecast three = threeTimes.forecast(IE, after(8), coldBoot);

    assertThat(ten.expected()).isEqualTo(10 * spike[7], within(1.0));
    assertThat(three.expected()).isEqualTo(3 * spike[7], within(1.0));
    assertThat(three.upper()).isLessThan(ten.upper() / 3);
  }

  @Test
  void aOneStepJumpIsPlannedToGrowForOneStepMore_notExtrapolatedToTenTimes() {
    // A stair: a flat audience jumps x3 in one 10 s interval. A viral onset looks the same for one
    // sample; the evidence is one interval long, so the surge is planned to go on for as long
    // again.
    feed(forecaster, 8000, 8000, 8000, 8000, 8000, 24000);

    Forecast f = forecaster.forecast(IE, after(6), Duration.ofSeconds(105));

    assertThat(f.basis()).startsWith("spike");
    assertThat(f.upper()).isLessThan(24000 * 3.0 * 1.1);
  }

  @Test
  void aSurgeEarnsAFartherReachTheLongerItGoesOn() {
    double[] surge = new double[12];
    for (int i = 0; i < surge.length; i++) {
      surge[i] = i < 4 ? 1000 : 1000 * Math.exp(0.03 * 10 * (i - 3));
    }
    DemandForecaster early = new DemandForecaster(0.95, Map.of());
    feed(early, java.util.Arrays.copyOf(surge, 6));
    feed(forecaster, surge);

    double earlyFactor = early.forecast(IE, after(6), WARM_HORIZON).expected() / surge[5];
    double lateFactor = forecaster.forecast(IE, after(12), WARM_HORIZON).expected() / surge[11];

    assertThat(earlyFactor).isBetween(1.2, 2.0); // 20 s seen: at most e^(0.03 x 20)
    assertThat(lateFactor).isGreaterThan(3.0); // 80 s seen: the whole 42 s horizon, e^1.26
  }

  /** 30,000 viewers for five minutes, a fall to 6,000, then a rise of +2.5%/s back up. */
  private static double[] returning(int risingSamples) {
    double[] v = new double[30 + 12 + risingSamples];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 30 ? 30_000 : i < 42 ? 6_000 : 6_000 * Math.exp(0.025 * 10 * (i - 41));
    }
    return v;
  }

  @Test
  void aRiseBackFromAFall_isPlannedToTheLevelHeldBefore_notExtrapolatedPastIt() {
    // Four samples into the rise (16,300 viewers), a spike at +2.5%/s over 105 s would ask for
    // about 5x that, 82,000: the audience that left is coming back, and it was 30,000.
    double[] v = returning(4);
    feed(forecaster, v);

    Forecast f = forecaster.forecast(IE, after(v.length), Duration.ofSeconds(105));

    assertThat(f.basis())
        .startsWith("spike +2.")
        .endsWith(", back toward 30,000 held within the hour");
    assertThat(f.expected()).isEqualTo(30_000, within(1.0));
    // The fall and the rise made large one-step errors, but the level returned to is already the
    // highest sample seen: it is not widened by them again.
    assertThat(f.upper()).isEqualTo(30_000, within(1.0));
  }

  @Test
  void theFirstSampleOfARiseBackFromAFall_carriesItsRiseOverTheWholeHorizon_towardTheLevelHeld() {
    // 30,000 for five minutes, 6,000 for two, then 9,000: 150 viewers a second over the last two
    // intervals. Bounded by the 10 s the rise has been seen, the spike would ask for about 10,000
    // at 105 s; the audience coming back was 30,000, so its rise is carried over the whole horizon
    // (linearly): 9,000 + 150 x 105 = 24,750, relays launched now for the crowd of the next two
    // minutes instead of a tick or two later.
    double[] v = new double[43];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 30 ? 30_000 : i < 42 ? 6_000 : 9_000;
    }
    feed(forecaster, v);

    Forecast f = forecaster.forecast(IE, after(v.length), Duration.ofSeconds(105));

    assertThat(f.basis())
        .startsWith("spike")
        .endsWith(", climbing 150/s back toward 30,000 held within the hour");
    assertThat(f.expected()).isEqualTo(24_750, within(1.0));
  }

  @Test
  void aRiseThatPassesTheLevelHeldBefore_isNewGrowth_andExtrapolatesAgain() {
    double[] v = returning(8); // 6,000 x e^(0.25 x 7) = 34,500, past the 30,000 held before
    feed(forecaster, v);

    Forecast f = forecaster.forecast(IE, after(v.length), Duration.ofSeconds(105));

    assertThat(f.basis()).startsWith("spike").doesNotContain("back toward");
    assertThat(f.expected()).isGreaterThan(2 * v[v.length - 1]);
  }

  @Test
  void anOscillationsPeakALittleAboveTheLastOne_isPlannedAsNoise_notAsANewSurge() {
    // Ad breaks: 10,000 <-> 30,000 every 90 s, each climb +2.7%/s for 40 s. This climb ends at
    // 31,500, 5% above the peaks before it: within the series' own swing, not growth past them.
    List<Double> v = new ArrayList<>();
    for (int swing = 0; swing < 6; swing++) {
      for (double level : new double[] {10_000, 10_000, 10_000, 13_000, 18_000, 24_000, 30_000}) {
        v.add(level);
      }
      v.add(24_000.0);
      v.add(16_000.0);
    }
    for (double level : new double[] {10_000, 10_000, 10_000, 13_500, 18_900, 25_200, 31_500}) {
      v.add(level);
    }
    feed(forecaster, v.stream().mapToDouble(Double::doubleValue).toArray());

    Forecast f = forecaster.forecast(IE, after(v.size()), Duration.ofSeconds(95));

    assertThat(f.basis())
        .startsWith("spike")
        .endsWith(", within the noise of 30,000 held within the hour");
    // Extrapolated, the climb's +2.6%/s over the 40 s it has been seen would ask for 2.8x the
    // peak, 87,000.
    assertThat(f.upper()).isBetween(31_500.0, 1.5 * 31_500);
  }

  /**
   * A sample every 10 s: {@code before} for {@code heldSeconds}, a fall to {@code after} over
   * {@code fallSeconds}, then {@code after} for five minutes.
   */
  private static double[] fallen(double before, int heldSeconds, double after, int fallSeconds) {
    List<Double> v = new ArrayList<>();
    for (int t = 0; t < heldSeconds; t += 10) {
      v.add(before);
    }
    for (int t = 10; t <= fallSeconds; t += 10) {
      v.add(before + (after - before) * t / fallSeconds);
    }
    for (int t = 0; t < 300; t += 10) {
      v.add(after);
    }
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static final Duration STABILIZATION = Duration.ofMinutes(5);

  @Test
  void anAudienceThatLeftALevelItHeld_mayComeBackAsFastAsItLeft() {
    // Half-time: 60,000 for 20 minutes, 52,000 gone within two minutes.
    feed(forecaster, fallen(60_000, 1_200, 8_000, 120));

    Fall fall = forecaster.fall(IE, STABILIZATION).orElseThrow();

    assertThat(fall.held()).isEqualTo(60_000, within(1.0));
    assertThat(fall.level()).isEqualTo(8_000, within(1.0));
    // Its fastest minute took 26,000 away: 433 a second.
    assertThat(fall.fastestPerSecond()).isEqualTo(26_000 / 60.0, within(1.0));
    // A replica that waits 90 s for a node and its start could meet 39,000 of them coming back.
    assertThat(fall.backWithin(Duration.ofSeconds(90))).isEqualTo(39_000, within(100.0));
    // ... and never more than left.
    assertThat(fall.backWithin(Duration.ofMinutes(10))).isEqualTo(52_000, within(1.0));
  }

  @Test
  void anAudienceThatFadedOverHalfAnHour_isNotExpectedBackWithinAMinute() {
    feed(forecaster, fallen(60_000, 1_200, 8_000, 1_800));

    Fall fall = forecaster.fall(IE, STABILIZATION).orElseThrow();

    assertThat(fall.held()).isEqualTo(60_000, within(1.0));
    // 52,000 over 30 minutes is 29 a second; 90 s of that is 2,600 viewers.
    assertThat(fall.backWithin(Duration.ofSeconds(90))).isLessThan(3_000);
  }

  /** An Irish match of 30 minutes for 60,000 viewers. */
  private static KnownEvent match(Instant start) {
    return new KnownEvent(
        "Cup final", "IE", start, Duration.ofMinutes(30), 60_000, Duration.ofMinutes(20));
  }

  @Test
  void aKnownEventsEnd_isAnAudienceThatLeftForGood() {
    // The same fall as half-time's, but the match in events: ended as it began.
    KnownEvent justEnded = match(T0.minus(Duration.ofMinutes(10)));
    DemandForecaster f = new DemandForecaster(0.95, Map.of(IE, List.of(justEnded)));
    feed(f, fallen(60_000, 1_200, 8_000, 120));

    assertThat(f.fall(IE, STABILIZATION)).isEmpty();
    // An hour after it ended, a fall is one again.
    KnownEvent longOver = match(T0.minus(Duration.ofMinutes(100)));
    DemandForecaster later = new DemandForecaster(0.95, Map.of(IE, List.of(longOver)));
    feed(later, fallen(60_000, 1_200, 8_000, 120));
    assertThat(later.fall(IE, STABILIZATION)).isPresent();
  }

  @Test
  void aPeakShorterThanTheStabilizationWindow_isNoLevelHeld() {
    // A false alarm: 10,000, a minute at 40,000, back to 10,000.
    double[] v = fallen(40_000, 60, 10_000, 10);
    double[] withBase = new double[v.length + 60];
    Arrays.fill(withBase, 0, 60, 10_000);
    System.arraycopy(v, 0, withBase, 60, v.length);
    feed(forecaster, withBase);

    assertThat(forecaster.fall(IE, STABILIZATION)).isEmpty();
    // Held for five minutes, the same peak is one an audience left.
    DemandForecaster held = new DemandForecaster(0.95, Map.of());
    feed(held, fallen(40_000, 300, 10_000, 10));
    assertThat(held.fall(IE, STABILIZATION)).isPresent();
  }

  @Test
  void anAudienceWithinTheBandOfItsLevel_hasNotFallen() {
    feed(forecaster, fallen(60_000, 1_200, 57_000, 60));

    assertThat(forecaster.fall(IE, STABILIZATION)).isEmpty();
  }

  @Test
  void aRiseWithNoFallBeforeIt_isNotCapped_evenBelowAnEarlierNoisyHigh() {
    // A ramp of +6 viewers a second whose one high sample, 110 s ago (11,380), is above the level
    // now (11,140): the ramp never fell below the band of it, so the trend goes on past it.
    double[] v = new double[20];
    for (int i = 0; i < v.length; i++) {
      v[i] = 10_000 + 60 * i + (i == 8 ? 900 : 0);
    }
    feed(forecaster, v);

    Forecast f = forecaster.forecast(IE, after(v.length), Duration.ofSeconds(105));

    assertThat(f.basis()).isEqualTo("trend");
    assertThat(f.expected()).isGreaterThan(11_380 + 200);
  }

  @Test
  void oneLaggingSampleInsideASurge_doesNotResetHowLongItHasBeenSeen() {
    // The surge above, but one sample 40 s before the last repeats the one before it (a relay's
    // count that lagged a poll); the interval after it makes the growth up.
    double[] surge = new double[12];
    for (int i = 0; i < surge.length; i++) {
      surge[i] = i < 4 ? 1000 : 1000 * Math.exp(0.03 * 10 * (i - 3));
    }
    surge[8] = surge[7];
    feed(forecaster, surge);

    double factor = forecaster.forecast(IE, after(12), WARM_HORIZON).expected() / surge[11];

    // Seen for 80 s, not the 30 s since the lagging sample: about e^(0.028 x 42), not e^(0.028 x
    // 30).
    assertThat(factor).isGreaterThan(3.0);
  }

  /**
   * An audience filling up as word spreads: 60,000 at most, +4%/s at first, half there at 150 s.
   */
  private static double logistic(double seconds) {
    return 60_000 / (1 + Math.exp(-0.04 * (seconds - 150)));
  }

  @Test
  void aSurgeWhoseRateHasBeenFalling_isPlannedToSlowAsItDid_notToGrowAtItsRateNow() {
    double[] filling = new double[22];
    for (int i = 0; i < filling.length; i++) {
      filling[i] = logistic(10 * i);
    }
    feed(forecaster, filling);

    // At 210 s: 55,000, +0.5%/s over the last 20 s, down from +2%/s over the 40 s window before
    // the last. A cold boot ahead (105 s) the audience is 59,900; at its rate now, carried that
    // far, it would be 96,000.
    Forecast f = forecaster.forecast(IE, after(22), Duration.ofSeconds(105));

    assertThat(f.surging()).isTrue();
    assertThat(f.basis()).startsWith("spike");
    assertThat(f.expected()).isBetween(logistic(210 + 105), 60_000 * 1.1);
  }

  @Test
  void aSurgeThatPausedAndClimbsAgain_isExtrapolatedAtItsRateNow() {
    // +3%/s for 90 s, a 10 s pause (the relays full: the viewers seen flat), then +3%/s again.
    double[] surge = new double[16];
    for (int i = 0; i < surge.length; i++) {
      int rising = i < 4 ? 0 : Math.min(i, 12) - 3 + Math.max(0, i - 13);
      surge[i] = 1000 * Math.exp(0.03 * 10 * rising);
    }
    feed(forecaster, surge);

    Forecast f = forecaster.forecast(IE, after(16), WARM_HORIZON);

    // Slower over the last 40 s (+2.1%/s) than over the 40 s before (+3%/s), but not in its newest
    // samples: no decay. The window's rate over the whole 42 s is e^0.88 = 2.4; slowing as the two
    // windows did, it would be 2.1.
    assertThat(f.surging()).isTrue();
    assertThat(f.expected() / surge[15]).isGreaterThan(2.3);
  }

  @Test
  void aPlateauEndsTheSpikeAtOnce_andTheForecastSettlesWithinAMinute() {
    feed(forecaster, 100, 150, 300, 700, 1600, 3500, 3500, 3500);

    Forecast justFlat = forecaster.forecast(IE, after(8), WARM_HORIZON);
    assertThat(justFlat.basis()).isEqualTo("trend");
    assertThat(justFlat.upper()).isLessThan(3500 * 3.0);

    for (int i = 8; i < 14; i++) {
      forecaster.observe(IE, T0.plusSeconds(10L * i), 3500);
    }
    assertThat(forecaster.forecast(IE, after(14), WARM_HORIZON).upper()).isLessThan(3500 * 1.5);
  }

  @Test
  void aKnownEventHoldsTheForecastAtItsAudience_fromItsPrewarmLeadToItsEnd() {
    KnownEvent final_ =
        new KnownEvent(
            "Cup final",
            "IE",
            T0.plus(Duration.ofMinutes(30)),
            Duration.ofMinutes(120),
            80_000,
            Duration.ofMinutes(20));
    DemandForecaster f = new DemandForecaster(0.95, Map.of(IE, List.of(final_)));
    f.observe(IE, T0, 2_000);

    assertThat(f.forecast(IE, T0, Duration.ofMinutes(5)).upper()).isLessThan(3_000);
    Forecast warming = f.forecast(IE, T0.plus(Duration.ofMinutes(6)), Duration.ofMinutes(5));
    assertThat(warming.upper()).isEqualTo(80_000);
    assertThat(warming.basis()).isEqualTo("event 'Cup final'");
    assertThat(f.forecast(IE, T0.plus(Duration.ofMinutes(151)), Duration.ofMinutes(5)).upper())
        .isLessThan(3_000);
  }

  @Test
  void aKnownEventIsAPriorThatYieldsToWhatIsObserved_onceItHasStarted() {
    // The final was expected to draw 80,000; 12,000 came.
    KnownEvent final_ =
        new KnownEvent(
            "Cup final",
            "IE",
            T0.plus(Duration.ofMinutes(30)),
            Duration.ofMinutes(120),
            80_000,
            Duration.ofMinutes(20));
    DemandForecaster f = new DemandForecaster(0.95, Map.of(IE, List.of(final_)));
    for (Instant t = T0; t.isBefore(T0.plus(Duration.ofMinutes(60))); t = t.plusSeconds(10)) {
      f.observe(IE, t, t.isBefore(final_.start()) ? 2_000 : 12_000);
    }

    Forecast atKickOff = f.forecast(IE, final_.start(), Duration.ofMinutes(2));
    Forecast halfway =
        f.forecast(IE, final_.start().plus(Duration.ofMinutes(10)), Duration.ofMinutes(2));
    Forecast after =
        f.forecast(IE, final_.start().plus(Duration.ofMinutes(25)), Duration.ofMinutes(2));

    assertThat(atKickOff.upper()).isEqualTo(80_000);
    assertThat(halfway.upper()).isCloseTo(46_000, org.assertj.core.data.Offset.offset(1.0));
    assertThat(halfway.basis()).isEqualTo("event 'Cup final' (12,000 seen of 80,000 expected)");
    assertThat(after.upper()).isLessThan(12_000 * 1.2);
  }

  @Test
  void yesterdaysEveningRampIsAnticipated_whenADayOfHistoryExists() {
    // Yesterday: flat 1,000 until 20:00, then 3,000 from 20:02. Today: flat 1,000 at 19:59.
    Instant start = T0.minus(Duration.ofDays(1)).minus(Duration.ofHours(1));
    for (Instant t = start; t.isBefore(T0.minusSeconds(60)); t = t.plusSeconds(60)) {
      Instant yesterdayRamp = T0.minus(Duration.ofDays(1)).plusSeconds(120);
      boolean ramped =
          !t.isBefore(yesterdayRamp) && t.isBefore(yesterdayRamp.plus(Duration.ofHours(1)));
      forecaster.observe(IE, t, ramped ? 3_000 : 1_000);
    }

    Forecast f = forecaster.forecast(IE, T0.minusSeconds(60), Duration.ofMinutes(5));

    assertThat(f.basis()).isEqualTo("daily shape");
    assertThat(f.upper()).isGreaterThanOrEqualTo(3_000);
  }

  /**
   * IE every 10 s from a day and an hour before {@code now} until {@code now}: 5,000 for the 30
   * minutes from {@code spikeFrom}, 1,000 otherwise.
   */
  private void aDayAndAnHourWithASpike(Instant now, Instant spikeFrom) {
    Instant spikeUntil = spikeFrom.plus(Duration.ofMinutes(30));
    for (Instant t = now.minus(Duration.ofDays(1)).minus(Duration.ofHours(1));
        !t.isAfter(now);
        t = t.plusSeconds(10)) {
      boolean spiked = !t.isBefore(spikeFrom) && t.isBefore(spikeUntil);
      forecaster.observe(IE, t, spiked ? 5_000 : 1_000);
    }
  }

  @Test
  void yesterdaysSpikeIsAnticipated_overTheWholeColdBoot_notTheFirstMinuteOfIt() {
    // Yesterday: 1,000, and 5,000 from 95 s past this moment. Today: 1,000, sampled every 10 s.
    // A relay's cold boot and a tick (105 s) reach the spike; the minute after this one does not.
    Instant now = T0.plusSeconds(30);
    aDayAndAnHourWithASpike(now, now.minus(Duration.ofDays(1)).plusSeconds(95));

    Forecast f = forecaster.forecast(IE, now, Duration.ofSeconds(105));

    assertThat(f.basis()).isEqualTo("daily shape");
    assertThat(f.upper()).isGreaterThanOrEqualTo(5_000);
  }

  @Test
  void yesterdaysSpikeIsNotReplayed_onceTodayIsUnderHalfOfIt() {
    // Yesterday: 5,000 from 19:55 to 20:25, else 1,000. Today at 20:05: 1,000.
    Instant now = T0.plusSeconds(300);
    aDayAndAnHourWithASpike(now, T0.minus(Duration.ofDays(1)).minusSeconds(300));

    Forecast f = forecaster.forecast(IE, now, Duration.ofSeconds(105));

    assertThat(f.basis()).isEqualTo("trend");
    assertThat(f.upper()).isLessThan(1_100);
  }

  @Test
  void theUpperQuantileWidensWithTheSeriesNoise() {
    DemandForecaster calm = new DemandForecaster(0.95, Map.of());
    DemandForecaster noisy = new DemandForecaster(0.95, Map.of());
    for (int i = 0; i < 60; i++) {
      calm.observe(IE, T0.plusSeconds(10L * i), 10_000);
      noisy.observe(IE, T0.plusSeconds(10L * i), 10_000 + (i % 2 == 0 ? 600 : -600));
    }
    Instant now = T0.plusSeconds(590);

    assertThat(noisy.forecast(IE, now, WARM_HORIZON).upper())
        .isGreaterThan(calm.forecast(IE, now, WARM_HORIZON).upper() + 300);
  }

  @Test
  void poissonQuantilesMatchTheTables() {
    assertThat(Quantiles.poisson(1.0, 0.95)).isEqualTo(3); // P(N <= 2) = 0.920, P(N <= 3) = 0.981
    assertThat(Quantiles.poisson(0.1, 0.95)).isEqualTo(1); // P(N = 0) = 0.905
    assertThat(Quantiles.poisson(0.0, 0.95)).isZero();
    assertThat(Quantiles.poisson(1000, 0.95)).isBetween(1051, 1053); // 1000 + 1.645 x sqrt(1000)
  }

  @Test
  void streamsGoingLiveAreCountedPerSecond_andStreamsEndingAreNot() {
    feed(
        forecaster,
        10,
        11,
        11,
        12,
        12,
        13,
        9,
        9,
        10); // three went live, four ended, one more went live

    assertThat(forecaster.arrivalsPerSecond(IE, Duration.ofSeconds(300)))
        .isEqualTo(4 / 80.0, within(1e-9));
    assertThat(forecaster.arrivalsPerSecond(IE, Duration.ofSeconds(20)))
        .isEqualTo(1 / 20.0, within(1e-9));
    assertThat(
            forecaster.arrivalsPerSecond(SeriesKey.streams("eu-west-9"), Duration.ofSeconds(300)))
        .isZero();
  }

  @Test
  void aForecastAskedForAgainAtTheSameTime_seesASampleThatArrivedInBetween() {
    feed(forecaster, 5000, 5000, 5000, 5000, 5000, 5000, 5000);
    Forecast before = forecaster.forecast(IE, after(8), WARM_HORIZON);

    forecaster.observe(IE, after(8), 9000);
    Forecast after = forecaster.forecast(IE, after(8), WARM_HORIZON);

    assertThat(before.level()).isEqualTo(5000);
    assertThat(after.level()).isEqualTo(9000);
  }

  @Test
  void aForecastAskedForAgainAtTheSameTime_seesAnEventAddedInBetween() {
    feed(forecaster, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000);
    Forecast before = forecaster.forecast(IE, after(8), WARM_HORIZON);

    forecaster.setAddedEvents(
        Map.of(
            IE,
            List.of(
                new KnownEvent(
                    "Cup final",
                    "IE",
                    after(8).plusSeconds(600),
                    Duration.ofMinutes(120),
                    80_000,
                    Duration.ofMinutes(20)))));
    Forecast after = forecaster.forecast(IE, after(8), WARM_HORIZON);

    assertThat(before.upper()).isLessThan(6_000);
    assertThat(after.upper()).isEqualTo(80_000);
  }

  @Test
  void normalQuantilesMatchTheTables() {
    assertThat(Quantiles.normal(0.95)).isEqualTo(1.6449, within(1e-4));
    assertThat(Quantiles.normal(0.5)).isEqualTo(0.0, within(1e-9));
    assertThat(Quantiles.normal(0.01)).isEqualTo(-2.3263, within(1e-4));
  }
}
