package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioFamiliesTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final int SEEDS = 8;

  static Stream<String> families() {
    return ScenarioFamilies.names().stream();
  }

  /** A trace's viewers rows, in order: market and value. */
  private static List<Double> viewerRows(String csv) {
    return csv.lines()
        .filter(l -> l.contains(",viewers,"))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1)))
        .toList();
  }

  /** The root mean square of each row's relative distance from the same row of {@code curve}. */
  private static double scatter(List<Double> rows, List<Double> curve) {
    double squares = 0;
    int n = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (curve.get(i) >= 1_000) {
        double d = rows.get(i) / curve.get(i) - 1;
        squares += d * d;
        n++;
      }
    }
    return Math.sqrt(squares / n);
  }

  @Test
  void aNoiseScaleCountsTheSameTraceMoreJitterily_andItsFirstLineSaysSo() {
    for (String family : List.of("ad-breaks", "viral-spike", "london-incident-dublin-full")) {
      ScenarioFamilies.Generated drawn = ScenarioFamilies.generate(family, 3);
      ScenarioFamilies.Generated smooth = ScenarioFamilies.generate(family, 3, 0);
      ScenarioFamilies.Generated jittery = ScenarioFamilies.generate(family, 3, 2.5);
      assertThat(jittery.parameters()).isEqualTo(drawn.parameters());
      assertThat(jittery.csv()).contains("seed 3, viewer noise x2.5: ");
      assertThat(drawn.csv()).doesNotContain("viewer noise");

      List<Double> curve = viewerRows(smooth.csv());
      double asDrawn = scatter(viewerRows(drawn.csv()), curve);
      assertThat(asDrawn).as(family).isBetween(0.004, 0.035);
      assertThat(scatter(viewerRows(jittery.csv()), curve) / asDrawn)
          .as(family)
          .isCloseTo(2.5, org.assertj.core.api.Assertions.within(0.1));
    }
    assertThatThrownBy(() -> ScenarioFamilies.generate("ad-breaks", 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a noise scale must be 0 or more, got -1.0");
  }

  /** The Irish region an incident family's trace slows: its parameters name it first. */
  private static String slowRegion(ScenarioFamilies.Generated g) {
    return g.parameters().startsWith("Dublin") ? "eu-west-1" : "eu-west-2";
  }

  /**
   * Runs {@code check} on seeds 1..{@link #SEEDS} of an incident family, given the trace and the
   * Irish region it slows, and checks both Irish regions were drawn as that region.
   */
  private static void onEverySeed(String family, SlowRegionCheck check) throws Exception {
    Set<String> drawn = new HashSet<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      var g = ScenarioFamilies.generate(family, seed);
      String slow = slowRegion(g);
      drawn.add(slow);
      check.accept(g, parse(g), slow);
    }
    assertThat(drawn)
        .as("the Irish regions drawn as the slow one")
        .contains("eu-west-1", "eu-west-2");
  }

  @FunctionalInterface
  private interface SlowRegionCheck {
    void accept(ScenarioFamilies.Generated g, Trace trace, String slow) throws Exception;
  }

  private static Trace parse(ScenarioFamilies.Generated g) throws Exception {
    return new TraceParser(CONFIG)
        .parse(g.family() + " seed " + g.seed(), new StringReader(g.csv()));
  }

  @Test
  void theSuiteHasAtLeastTwelveFamilies_includingEveryShapeIssueTenFoundMissed() {
    assertThat(ScenarioFamilies.names())
        .hasSizeGreaterThanOrEqualTo(12)
        .contains(
            "flash-crowd",
            "kick-off-ramp",
            "twin-spike",
            "false-alarm",
            "stair",
            "sawtooth",
            "oscillation",
            "ad-breaks",
            "recurring-bursts",
            "channel-switch",
            "arrival-waves",
            "step-10x",
            "frankfurt-surge",
            "london-incident-dublin-full",
            "incident-then-surge",
            "flapping-incident-surge",
            "dublin-latency-long",
            "latency-creep",
            "latency-near-slo",
            "every-region-degraded",
            "viral-spike",
            "match",
            "diurnal",
            "real-trace-spike",
            "gpu-shortage",
            "silent-relays",
            "unheard-region",
            "london-incident-britain-surge",
            "dublin-incident-britain-surge",
            "incidents-in-turn");
    assertThat(ScenarioFamilies.all()).allSatisfy(f -> assertThat(f.summary()).isNotBlank());
  }

  @ParameterizedTest
  @MethodSource("families")
  void aFamilyMakesTheSameTraceForTheSameSeed(String family) {
    assertThat(ScenarioFamilies.generate(family, 3))
        .isEqualTo(ScenarioFamilies.generate(family, 3));
  }

  @ParameterizedTest
  @MethodSource("families")
  void everySeedDrawsOtherParametersAndAnotherTrace(String family) {
    Map<String, Long> seen = new HashMap<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      ScenarioFamilies.Generated g = ScenarioFamilies.generate(family, seed);
      assertThat(seen.put(g.parameters(), seed))
          .as("seed %d draws what seed %s drew", seed, seen.get(g.parameters()))
          .isNull();
      assertThat(g.csv())
          .startsWith(
              TraceParser.HEADER
                  + "\n# liffey suite family "
                  + family
                  + ", seed "
                  + seed
                  + ": "
                  + g.parameters()
                  + "\n");
    }
  }

  @ParameterizedTest
  @MethodSource("families")
  void everyTraceParses_lasts30To170Minutes_andNeverAsksMoreThanTheRegionsCanServe(String family)
      throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Trace trace = parse(ScenarioFamilies.generate(family, seed));

      assertThat(trace.length().toMinutes()).as("%s seed %d", family, seed).isBetween(30L, 170L);
      assertThat(trace.keys(TraceKind.VIEWERS)).containsExactlyInAnyOrder("IE", "GB", "DE");
      assertThat(trace.keys(TraceKind.STREAMS))
          .containsExactlyInAnyOrder(CONFIG.regionIds().toArray(String[]::new));
      for (double t = 0; t <= trace.length().toSeconds(); t += 5) {
        double all = 0;
        for (Market m : CONFIG.markets()) {
          double viewers = trace.valueAt(TraceKind.VIEWERS, m.code(), t);
          all += viewers;
          assertThat(viewers)
              .as("%s seed %d: %s at %s s", family, seed, m.code(), t)
              .isLessThanOrEqualTo(
                  m.servedBy().stream().mapToDouble(s -> ceiling(s.regionId())).sum());
        }
        assertThat(all)
            .as("%s seed %d: all markets at %s s", family, seed, t)
            .isLessThanOrEqualTo(
                CONFIG.regionIds().stream().mapToDouble(ScenarioFamiliesTest::ceiling).sum());
        for (String region : CONFIG.regionIds()) {
          assertThat(trace.valueAt(TraceKind.STREAMS, region, t))
              .as("%s seed %d: %s's streams at %s s", family, seed, region, t)
              .isLessThanOrEqualTo(transcodeCeiling(trace, region, t));
        }
      }
    }
  }

  /** The most streams a region's GPU groups transcode, at their ceilings as EC2 lets them run. */
  private static double transcodeCeiling(Trace trace, String regionId, double t) {
    Region r =
        CONFIG.regions().stream().filter(x -> x.id().equals(regionId)).findFirst().orElseThrow();
    double streams = 0;
    for (var pool : r.transcode()) {
      int max = pool.sizing().maxInstances();
      int left = trace.gpuAvailable(regionId, pool.sizing().instanceType(), t);
      streams += (double) Math.min(max, left) * pool.streamsPerInstance();
    }
    return streams;
  }

  /** The most viewers a region's relays serve at their ceiling. */
  private static double ceiling(String regionId) {
    Region r =
        CONFIG.regions().stream().filter(x -> x.id().equals(regionId)).findFirst().orElseThrow();
    return (double) r.relay().sizing().maxInstances() * r.relay().viewersPerInstance();
  }

  @Test
  void aFlashCrowdAddsTenThousandViewersOrMoreWithinAMinute() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Trace trace = parse(ScenarioFamilies.generate("flash-crowd", seed));
      double most = 0;
      for (double t = 0; t + 60 <= trace.length().toSeconds(); t += 10) {
        for (String m : trace.keys(TraceKind.VIEWERS)) {
          most =
              Math.max(
                  most,
                  trace.valueAt(TraceKind.VIEWERS, m, t + 60)
                      - trace.valueAt(TraceKind.VIEWERS, m, t));
        }
      }
      assertThat(most).as("seed %d", seed).isGreaterThan(9_000); // +10k at least, less the noise
    }
  }

  @Test
  void recurringBursts_riseThirtyToFiftyPercentForAboutAMinute_minutesApart() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      var g = ScenarioFamilies.generate("recurring-bursts", seed);
      Trace trace = parse(g);
      String m = g.parameters().substring(0, 2);
      double level = trace.valueAt(TraceKind.VIEWERS, m, 0);
      List<double[]> bursts = new ArrayList<>(); // start, end, peak
      double[] open = null;
      for (double t = 0; t <= trace.length().toSeconds(); t += 10) {
        double v = trace.valueAt(TraceKind.VIEWERS, m, t);
        if (v > level * 1.2 && open == null) {
          open = new double[] {t, t, v};
        } else if (v > level * 1.2) {
          open[1] = t;
          open[2] = Math.max(open[2], v);
        } else if (open != null) {
          bursts.add(open);
          open = null;
        }
      }
      String what = "seed " + seed + ": " + g.parameters();
      assertThat(bursts).as(what).hasSizeGreaterThanOrEqualTo(4);
      for (int i = 0; i < bursts.size(); i++) {
        double[] b = bursts.get(i);
        assertThat(b[1] - b[0]).as(what).isBetween(30.0, 110.0);
        assertThat(b[2] / level).as(what).isBetween(1.25, 1.6); // +30-50%, and the noise
        if (i > 0) {
          assertThat(b[0] - bursts.get(i - 1)[0]).as(what).isBetween(200.0, 500.0);
        }
      }
    }
  }

  @Test
  void aTenfoldStepHappensBetweenTwoRows() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Trace trace = parse(ScenarioFamilies.generate("step-10x", seed));
      double most = 0;
      for (double t = 0; t + 10 <= trace.length().toSeconds(); t += 10) {
        for (String m : trace.keys(TraceKind.VIEWERS)) {
          most =
              Math.max(
                  most,
                  trace.valueAt(TraceKind.VIEWERS, m, t + 10)
                      / Math.max(1, trace.valueAt(TraceKind.VIEWERS, m, t)));
        }
      }
      assertThat(most).as("seed %d", seed).isGreaterThan(7);
    }
  }

  @Test
  void londonIsSlowWhileIrelandIsMoreThanDublinCanServe() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Trace trace = parse(ScenarioFamilies.generate("london-incident-dublin-full", seed));
      boolean both = false;
      for (double t = 0; t <= trace.length().toSeconds(); t += 10) {
        both |=
            trace.valueAt(TraceKind.LATENCY, "eu-west-2", t) >= 120
                && trace.valueAt(TraceKind.VIEWERS, "IE", t) > ceiling("eu-west-1");
      }
      assertThat(both).as("seed %d", seed).isTrue();
      assertThat(trace.valueAt(TraceKind.LATENCY, "eu-west-2", trace.length().toSeconds()))
          .isZero();
    }
  }

  @Test
  void aChannelSwitchMovesMostOfOneMarketToAnother_andBack_theTotalBarelyChanging()
      throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      var g = ScenarioFamilies.generate("channel-switch", seed);
      Trace trace = parse(g);
      double length = trace.length().toSeconds();
      double start = total(trace, 0);
      double leastTotal = Double.MAX_VALUE;
      double mostTotal = 0;
      // The market that loses its audience is named first, the one it goes to after "to".
      String from = g.parameters().split(" of ")[1].substring(0, 2);
      double fromStart = trace.valueAt(TraceKind.VIEWERS, from, 0);
      double fromLeast = fromStart;
      for (double t = 0; t <= length; t += 10) {
        leastTotal = Math.min(leastTotal, total(trace, t));
        mostTotal = Math.max(mostTotal, total(trace, t));
        fromLeast = Math.min(fromLeast, trace.valueAt(TraceKind.VIEWERS, from, t));
      }
      assertThat(fromLeast / fromStart).as("seed %d: %s", g.seed(), g.parameters()).isLessThan(0.6);
      assertThat(trace.valueAt(TraceKind.VIEWERS, from, length) / fromStart)
          .as("seed %d: %s", g.seed(), g.parameters())
          .isBetween(0.7, 1.3);
      // Backgrounds drift up to a fifth and every market has its noise: the audience moved, it
      // did not leave or multiply.
      assertThat(mostTotal / leastTotal)
          .as("seed %d: %s", g.seed(), g.parameters())
          .isLessThan(1.5);
      assertThat(leastTotal / start).isGreaterThan(0.6);
    }
  }

  @Test
  void aFlappingIncidentSurge_slowsOneIrishRegionOnAndOff_andIrelandSurgesWhileItFlaps()
      throws Exception {
    onEverySeed(
        "flapping-incident-surge",
        (g, trace, slow) -> {
          double length = trace.length().toSeconds();
          double start = trace.valueAt(TraceKind.VIEWERS, "IE", 0);
          int flips = 0;
          boolean was = false;
          double firstSlow = -1;
          double lastSlow = -1;
          double surgedBy = -1;
          for (double t = 0; t <= length; t += 10) {
            boolean now = trace.valueAt(TraceKind.LATENCY, slow, t) >= 150;
            flips += now != was ? 1 : 0;
            was = now;
            if (now) {
              firstSlow = firstSlow < 0 ? t : firstSlow;
              lastSlow = t;
            }
            if (surgedBy < 0 && trace.valueAt(TraceKind.VIEWERS, "IE", t) > 2.5 * start) {
              surgedBy = t;
            }
          }
          // On or off for 1-2.5 min at a time for 15-30 min: three times on at least, each cleared.
          assertThat(flips).as("seed %d: %s", g.seed(), g.parameters()).isGreaterThanOrEqualTo(6);
          assertThat(was).isFalse();
          assertThat(surgedBy)
              .as("seed %d: %s", g.seed(), g.parameters())
              .isBetween(firstSlow, lastSlow);
        });
  }

  @Test
  void aLatencyCreep_risesTenToThirtyMsAMinute_pastTheSlo_andClears() throws Exception {
    onEverySeed(
        "latency-creep",
        (g, trace, slow) -> {
          double length = trace.length().toSeconds();
          double base = trace.valueAt(TraceKind.LATENCY, slow, 0);
          double peak = 0;
          double fastestMinute = 0;
          for (double t = 60; t <= length; t += 10) {
            double now = trace.valueAt(TraceKind.LATENCY, slow, t);
            peak = Math.max(peak, now);
            fastestMinute =
                Math.max(fastestMinute, now - trace.valueAt(TraceKind.LATENCY, slow, t - 60));
          }
          // Gradual: never more than 30 ms (and a step's rounding) in any minute on the way up, yet
          // past the 150 ms SLO; clear by the end.
          assertThat(fastestMinute)
              .as("seed %d: %s", g.seed(), g.parameters())
              .isBetween(10.0, 32.0);
          assertThat(peak - base)
              .as("seed %d: %s", g.seed(), g.parameters())
              .isBetween(150.0, 300.0);
          assertThat(trace.valueAt(TraceKind.LATENCY, slow, length)).isEqualTo(base);
        });
  }

  @Test
  void aLatencyNearTheSlo_addsSixtyToOneFortyMs_steadyOrWandering_andClears() throws Exception {
    boolean[] wandered = {false};
    onEverySeed(
        "latency-near-slo",
        (g, trace, slow) -> {
          double length = trace.length().toSeconds();
          double first = -1;
          for (double t = 0; t <= length; t += 10) {
            double extra = trace.valueAt(TraceKind.LATENCY, slow, t);
            if (extra > 0) {
              assertThat(extra).as("seed %d: %s", g.seed(), g.parameters()).isBetween(60.0, 140.0);
              first = first < 0 ? extra : first;
              wandered[0] |= extra != first;
            }
          }
          assertThat(first).as("seed %d: %s", g.seed(), g.parameters()).isPositive();
          assertThat(trace.valueAt(TraceKind.LATENCY, slow, length)).isZero();
        });
    assertThat(wandered[0]).as("a seed whose slow edge wanders").isTrue();
  }

  @Test
  void everyRegionDegraded_slowsDublinAndLondonTogether_oneOfThemOnlyALittleOnSomeSeeds()
      throws Exception {
    boolean[] nearTheSlo = {false};
    onEverySeed(
        "every-region-degraded",
        (g, trace, first) -> {
          String second = first.equals("eu-west-1") ? "eu-west-2" : "eu-west-1";
          double length = trace.length().toSeconds();
          double both = 0;
          double firstMost = 0;
          double secondMost = 0;
          for (double t = 0; t <= length; t += 10) {
            double a = trace.valueAt(TraceKind.LATENCY, first, t);
            double b = trace.valueAt(TraceKind.LATENCY, second, t);
            firstMost = Math.max(firstMost, a);
            secondMost = Math.max(secondMost, b);
            both += a > 0 && b > 0 ? 10 : 0;
          }
          String what = "seed " + g.seed() + ": " + g.parameters();
          assertThat(firstMost).as(what).isBetween(150.0, 300.0);
          assertThat(secondMost).as(what).isBetween(60.0, 250.0);
          // 15-35 min each, the second starting within 5 min of the first: 10 min at least
          // together.
          assertThat(both).as(what).isGreaterThanOrEqualTo(600);
          nearTheSlo[0] |= secondMost <= 110;
          assertThat(trace.valueAt(TraceKind.LATENCY, first, length)).isZero();
          assertThat(trace.valueAt(TraceKind.LATENCY, second, length)).isZero();
        });
    assertThat(nearTheSlo[0]).as("a seed where one region is only a little over the SLO").isTrue();
  }

  @Test
  void anIncidentThenSurge_slowsOneIrishRegion_andIrelandSurgesWhileItLasts() throws Exception {
    onEverySeed(
        "incident-then-surge",
        (g, trace, slow) -> {
          double length = trace.length().toSeconds();
          double start = trace.valueAt(TraceKind.VIEWERS, "IE", 0);
          double slowFrom = -1;
          double surgedBy = -1;
          for (double t = 0; t <= length; t += 10) {
            if (slowFrom < 0 && trace.valueAt(TraceKind.LATENCY, slow, t) >= 200) {
              slowFrom = t;
            }
            if (surgedBy < 0 && trace.valueAt(TraceKind.VIEWERS, "IE", t) > 3.5 * start) {
              surgedBy = t;
            }
          }
          assertThat(slowFrom).as("seed %d: %s", g.seed(), g.parameters()).isPositive();
          // Ireland is x4 or more within the incident's first 8 minutes (0-4 min, then 1.5-4 min).
          assertThat(surgedBy - slowFrom)
              .as("seed %d: %s", g.seed(), g.parameters())
              .isBetween(0.0, 480.0);
          assertThat(trace.valueAt(TraceKind.LATENCY, slow, surgedBy)).isGreaterThanOrEqualTo(200);
          assertThat(trace.valueAt(TraceKind.LATENCY, slow, length)).isZero();
        });
  }

  @ParameterizedTest
  @CsvSource({
    "london-incident-britain-surge, eu-west-2",
    "dublin-incident-britain-surge, eu-west-1"
  })
  void anIncidentWhileBritainSurges_surgesBritainWhileTheRegionIsSlowAndIrelandHolds(
      String family, String slowRegion) throws Exception {
    String otherRegion = slowRegion.equals("eu-west-1") ? "eu-west-2" : "eu-west-1";
    for (long seed = 1; seed <= SEEDS; seed++) {
      var g = ScenarioFamilies.generate(family, seed);
      Trace trace = parse(g);
      String what = "seed " + seed + ": " + g.parameters();
      double length = trace.length().toSeconds();
      double gb = trace.valueAt(TraceKind.VIEWERS, "GB", 0);
      double ie = trace.valueAt(TraceKind.VIEWERS, "IE", 0);
      double slowFrom = -1;
      double surgedBy = -1;
      for (double t = 0; t <= length; t += 10) {
        if (slowFrom < 0 && trace.valueAt(TraceKind.LATENCY, slowRegion, t) >= 200) {
          slowFrom = t;
        }
        if (surgedBy < 0 && trace.valueAt(TraceKind.VIEWERS, "GB", t) > 2 * gb) {
          surgedBy = t;
        }
        // Ireland holds within its noise: only Britain surges.
        assertThat(trace.valueAt(TraceKind.VIEWERS, "IE", t))
            .as(what)
            .isBetween(0.8 * ie, 1.2 * ie);
      }
      assertThat(slowFrom).as(what).isPositive();
      assertThat(trace.valueAt(TraceKind.LATENCY, otherRegion, slowFrom)).as(what).isZero();
      // Britain doubles within the incident (15 min at least): 3-8 min into it, within its 2-6 min
      // rise.
      assertThat(surgedBy - slowFrom).as(what).isBetween(180.0, 840.0);
      assertThat(trace.valueAt(TraceKind.LATENCY, slowRegion, surgedBy))
          .as(what)
          .isGreaterThanOrEqualTo(200);
      assertThat(trace.valueAt(TraceKind.LATENCY, slowRegion, length)).as(what).isZero();
    }
  }

  @Test
  void incidentsInTurn_slowOneIrishRegion_thenTheOtherOnlyOnceTheFirstHasCleared()
      throws Exception {
    onEverySeed(
        "incidents-in-turn",
        (g, trace, first) -> {
          String second = first.equals("eu-west-1") ? "eu-west-2" : "eu-west-1";
          String what = "seed " + g.seed() + ": " + g.parameters();
          double length = trace.length().toSeconds();
          double firstFrom = -1;
          double firstTo = -1;
          double secondFrom = -1;
          double secondTo = -1;
          double ie = trace.valueAt(TraceKind.VIEWERS, "IE", 0);
          for (double t = 0; t <= length; t += 10) {
            double a = trace.valueAt(TraceKind.LATENCY, first, t);
            double b = trace.valueAt(TraceKind.LATENCY, second, t);
            assertThat(a > 0 && b > 0).as(what + ": both slow at %.0f s", t).isFalse();
            if (a > 0) {
              assertThat(a).as(what).isBetween(150.0, 350.0);
              firstFrom = firstFrom < 0 ? t : firstFrom;
              firstTo = t;
            }
            if (b > 0) {
              assertThat(b).as(what).isBetween(150.0, 350.0);
              secondFrom = secondFrom < 0 ? t : secondFrom;
              secondTo = t;
            }
            assertThat(trace.valueAt(TraceKind.VIEWERS, "IE", t))
                .as(what)
                .isBetween(0.8 * ie, 1.2 * ie);
          }
          // 8-15 min each; the second 0-4 min after the first clears (rows every 10 s).
          assertThat(firstTo - firstFrom).as(what).isBetween(470.0, 900.0);
          assertThat(secondTo - secondFrom).as(what).isBetween(470.0, 900.0);
          assertThat(secondFrom - firstTo).as(what).isBetween(0.0, 250.0);
          assertThat(ie).as(what).isBetween(0.8 * 15_000, 1.2 * 50_000);
          assertThat(trace.valueAt(TraceKind.LATENCY, second, length)).as(what).isZero();
        });
  }

  private static double total(Trace trace, double t) {
    double sum = 0;
    for (String m : List.of("IE", "GB", "DE")) {
      sum += trace.valueAt(TraceKind.VIEWERS, m, t);
    }
    return sum;
  }

  @Test
  void adBreaks_driftAwayFortyToSeventyPercent_andComeBackWithinHalfAMinute() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      var g = ScenarioFamilies.generate("ad-breaks", seed);
      Trace trace = parse(g);
      String m = g.parameters().substring(0, 2);
      String what = "seed " + seed + ": " + g.parameters();
      double level = trace.valueAt(TraceKind.VIEWERS, m, 0);
      // Each break: the audience under 70% of its level, then, within 30 s of its last sample
      // there, back above 90% of it.
      int breaks = 0;
      double lowest = level;
      Double away = null;
      for (double t = 0; t <= trace.length().toSeconds(); t += 10) {
        double v = trace.valueAt(TraceKind.VIEWERS, m, t);
        if (v < level * 0.7) {
          away = t;
          lowest = Math.min(lowest, v);
        } else if (away != null && v > level * 0.9) {
          assertThat(t - away).as(what).isLessThanOrEqualTo(30);
          breaks++;
          away = null;
        }
      }
      assertThat(breaks).as(what).isGreaterThanOrEqualTo(4);
      assertThat(lowest / level).as(what).isBetween(0.25, 0.65); // 40-70% gone, and the noise
    }
  }

  @Test
  void anOscillationSwingsTwoToFourTimesItsLowEveryOneAndAHalfToThreeMinutes() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      var g = ScenarioFamilies.generate("oscillation", seed);
      Trace trace = parse(g);
      String m = g.parameters().substring(0, 2);
      // The swinging market's range away from its start and end, then its rises through the
      // middle of it.
      double low = Double.MAX_VALUE;
      double high = 0;
      int crossings = 0;
      boolean above = false;
      for (double t = 600; t <= trace.length().toSeconds() - 600; t += 10) {
        double v = trace.valueAt(TraceKind.VIEWERS, m, t);
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
      double mid = (low + high) / 2;
      for (double t = 600; t <= 1500; t += 10) {
        boolean now = trace.valueAt(TraceKind.VIEWERS, m, t) > mid;
        crossings += now && !above ? 1 : 0;
        above = now;
      }
      assertThat(high / low).as("seed %d: %s", g.seed(), g.parameters()).isBetween(1.8, 4.3);
      // 900 s at a period of 90-180 s: 5 to 10 rises through the middle.
      assertThat(crossings).as("seed %d: %s", g.seed(), g.parameters()).isBetween(4, 11);
    }
  }

  @Test
  void aFalseAlarmIsGoneWithinEightySeconds() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Trace trace = parse(ScenarioFamilies.generate("false-alarm", seed));
      for (String m : trace.keys(TraceKind.VIEWERS)) {
        int above = 0;
        for (double t = 0; t <= trace.length().toSeconds(); t += 10) {
          above += trace.valueAt(TraceKind.VIEWERS, m, t) > 9_000 ? 1 : 0;
        }
        assertThat(above * 10)
            .as("seed %d: %s above 9,000 viewers, seconds", seed, m)
            .isLessThanOrEqualTo(80);
      }
    }
  }

  @Test
  void aGpuShortageLeavesOneRegionZeroToTwoL4sForFifteenToThirtyMinutes_whileItsStreamsGrow()
      throws Exception {
    Set<String> regions = new HashSet<>();
    int a10gsShortToo = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Trace trace = parse(ScenarioFamilies.generate("gpu-shortage", seed));
      var l4 = trace.keys(TraceKind.SHORTAGE).stream().filter(k -> k.endsWith("/g6.2xlarge"));
      String group = l4.findFirst().orElseThrow();
      String region = group.substring(0, group.indexOf('/'));
      regions.add(region);
      a10gsShortToo += trace.keys(TraceKind.SHORTAGE).contains(region + "/g5.2xlarge") ? 1 : 0;
      double first = -1;
      double last = -1;
      double least = Double.MAX_VALUE;
      for (double t = 0; t <= trace.length().toSeconds(); t += 10) {
        var left = trace.setAt(TraceKind.SHORTAGE, group, t);
        if (left.isPresent() && left.getAsDouble() < 40) {
          first = first < 0 ? t : first;
          last = t;
          least = Math.min(least, left.getAsDouble());
        }
      }
      assertThat(first).as("seed %d: the shortage starts", seed).isGreaterThanOrEqualTo(5 * 60);
      assertThat(last - first).as("seed %d: shortage seconds", seed).isBetween(890.0, 1_800.0);
      assertThat(least).as("seed %d: L4s left", seed).isBetween(0.0, 2.0);
      // It ends: the region's L4s are EC2's again before the trace does.
      assertThat(trace.setAt(TraceKind.SHORTAGE, group, trace.length().toSeconds()).getAsDouble())
          .isGreaterThanOrEqualTo(40);
      double before = trace.valueAt(TraceKind.STREAMS, region, 0);
      double most = trace.maxBetween(TraceKind.STREAMS, region, first, last);
      assertThat(most / before).as("seed %d: stream growth", seed).isBetween(1.8, 4.2);
    }
    assertThat(regions).as("regions drawn").hasSizeGreaterThanOrEqualTo(2);
    assertThat(a10gsShortToo).as("seeds short of A10Gs too").isBetween(1, SEEDS - 1);
  }

  @Test
  void silentRelays_leaveThirtyToSeventyPercentOfTheSpikingMarketsHomeRelaysSilent_thenAllPublish()
      throws Exception {
    int secondRegion = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      ScenarioFamilies.Generated g = ScenarioFamilies.generate("silent-relays", seed);
      Trace trace = parse(g);
      List<String> silent = List.copyOf(trace.keys(TraceKind.PUBLISHING));
      secondRegion += silent.size() == 2 ? 1 : 0;
      double least = 1;
      for (String region : silent) {
        for (double t = 0; t <= trace.length().toSeconds(); t += 10) {
          least = Math.min(least, trace.setAt(TraceKind.PUBLISHING, region, t).orElse(1));
        }
        // Every relay publishes again before the trace ends.
        assertThat(trace.setAt(TraceKind.PUBLISHING, region, trace.length().toSeconds()))
            .hasValue(1.0);
      }
      // A share, not a whole number: some relays still publish.
      assertThat(least).as("seed %d: least share publishing", seed).isBetween(0.3, 0.8);
    }
    assertThat(secondRegion).as("seeds with a second region silent").isBetween(1, SEEDS - 1);
  }

  @Test
  void anUnheardRegion_isTheOtherRegionServingTheSpikingMarket_silentWhole_thenHeardAgain()
      throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      ScenarioFamilies.Generated g = ScenarioFamilies.generate("unheard-region", seed);
      Trace trace = parse(g);
      List<String> silent = List.copyOf(trace.keys(TraceKind.PUBLISHING));
      String market = g.parameters().substring(0, 2);
      assertThat(silent)
          .as("seed %d", seed)
          .containsExactly(market.equals("GB") ? "eu-west-1" : "eu-west-2");
      double least = 1;
      for (double t = 0; t <= trace.length().toSeconds(); t += 10) {
        least = Math.min(least, trace.setAt(TraceKind.PUBLISHING, silent.get(0), t).orElse(1));
      }
      assertThat(least).as("seed %d: no relay of the region publishes", seed).isZero();
      assertThat(trace.setAt(TraceKind.PUBLISHING, silent.get(0), trace.length().toSeconds()))
          .hasValue(1.0);
    }
  }

  @Test
  void aBotFloodIsFiveToFiftyTimesItsMarketsViewers_forFiveToTwentyMinutes_thenGone()
      throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Trace trace = parse(ScenarioFamilies.generate("bot-flood", seed));
      assertThat(trace.keys(TraceKind.BOTS)).as("seed %d", seed).hasSize(1);
      String market = trace.keys(TraceKind.BOTS).iterator().next();
      double first = -1;
      double last = -1;
      double most = 0;
      double viewers = 0;
      for (double t = 0; t <= trace.length().toSeconds(); t += 10) {
        double bots = trace.valueAt(TraceKind.BOTS, market, t);
        if (bots > 0) {
          first = first < 0 ? t : first;
          last = t;
          most = Math.max(most, bots);
          viewers = Math.max(viewers, trace.valueAt(TraceKind.VIEWERS, market, t));
        }
      }
      assertThat(last - first)
          .as("seed %d: flood seconds", seed)
          .isBetween(5 * 60.0 - 10, 20 * 60.0);
      // x5 to x50 of the level before the flood; a real rise during it makes the ratio smaller.
      assertThat(most / viewers)
          .as("seed %d: bots per viewer", seed)
          .isBetween(5 / 1.5 * 0.9, 50 * 1.1 * 1.1);
      assertThat(trace.valueAt(TraceKind.BOTS, market, trace.length().toSeconds())).isZero();
    }
  }

  @Test
  void theRealTraceFamilyReplaysTheBundledLogs_whichParseAsTraces() throws Exception {
    for (String file : RealViewerLogs.FILES) {
      try (var in = RealViewerLogs.class.getResourceAsStream(RealViewerLogs.FOLDER + file)) {
        Trace t =
            new TraceParser(CONFIG).parse(file, new InputStreamReader(in, StandardCharsets.UTF_8));
        assertThat(t.length().toMinutes()).isGreaterThanOrEqualTo(30);
      }
    }
    assertThat(RealViewerLogs.all()).extracting(RealViewerLogs.Log::stepSeconds).containsOnly(5.0);
    assertThat(ScenarioFamilies.generate("real-trace-spike", 1).parameters())
        .startsWith("youtube-");
  }

  @Test
  void anUnknownFamilyIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> ScenarioFamilies.generate("tsunami", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown family 'tsunami': use one of viral-spike, flash-crowd,");
  }
}
