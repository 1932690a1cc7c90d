package dev.liffey.autoscaler.sim;

import static dev.liffey.autoscaler.sim.Keyframes.Ease.EXPONENTIAL;
import static dev.liffey.autoscaler.sim.Keyframes.Ease.QUADRATIC;
import static dev.liffey.autoscaler.sim.Keyframes.Ease.SMOOTH;
import static dev.liffey.autoscaler.sim.Scenario.NO_SHORTAGE;

import dev.liffey.autoscaler.sim.Scenario.Curve;
import dev.liffey.autoscaler.sim.Scenario.LatencyChange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * The robustness suite's scenario families: each one a shape whose timings, sizes, noise and
 * markets are drawn from a seed, so no engine can be tuned to one curve. Sizes are set against
 * {@code edge-regions.yaml}: relay ceilings of 180,000 viewers in Dublin, 150,000 in London and
 * 120,000 in Frankfurt (max instances x 1,500); every family stays within what the regions allowed
 * to serve its markets can carry, and each region's streams within what its GPU groups transcode as
 * far as EC2 lets them run, so what a policy leaves unserved is its own doing. Lengths are 30 to
 * 170 simulated minutes, at 10 s rows (5 s where a real log is replayed).
 *
 * <p>Four families also have a reference instance, the shape of a bundled trace, which {@link
 * TraceGenerator} writes with a seed's noise only.
 */
public final class ScenarioFamilies {
  /**
   * A family: its name (as {@code --suite} takes it) and what every one of its traces has in
   * common.
   */
  public record Family(String name, String summary) {}

  /**
   * One trace of a family: the drawn parameters, in words, and the CSV (headed by them as
   * comments).
   */
  public record Generated(String family, long seed, String parameters, String csv) {}

  /** A scenario with its drawn parameters in words. */
  private record Drawn(Scenario scenario, String parameters) {}

  private record Entry(Family family, Function<ScenarioDraw, Drawn> draw) {}

  private static final Map<String, Entry> FAMILIES = new LinkedHashMap<>();

  static {
    add(
        "viral-spike",
        "one market x50-x150 in 1.5-3 min from a few hundred, a plateau, a slow fade; another"
            + " market joins a little",
        ScenarioFamilies::viralSpike);
    add(
        "flash-crowd",
        "+10k to +18k viewers within 30-60 s in one market, a 10-25 min plateau, a fade",
        ScenarioFamilies::flashCrowd);
    add(
        "kick-off-ramp",
        "a quadratic pre-kick-off ramp to 45k-75k Irish viewers (GB a fifth to two fifths of"
            + " that), the first half, a halftime dip of 25-45%, the start of the second half",
        ScenarioFamilies::kickOffRamp);
    add(
        "twin-spike",
        "two markets spike at once (within a minute), each x20-x60 in 1-3 min",
        ScenarioFamilies::twinSpike);
    add(
        "false-alarm",
        "a blip of +8k to +16k viewers that lasts 40-80 s in one market, then nothing",
        ScenarioFamilies::falseAlarm);
    add(
        "stair",
        "one market jumps x2.5-x3.5 every 4-6 min, three or four times, holds, then steps down",
        ScenarioFamilies::stair);
    add(
        "sawtooth",
        "one market ramps from 2k-6k to 15k-35k and drops at once, every 5-7 min, for 40-60 min",
        ScenarioFamilies::sawtooth);
    add(
        "oscillation",
        "one market swings between a level and 2-4x it and back every 1.5-3 min (ad breaks, a"
            + " flapping player), for 30-45 min",
        ScenarioFamilies::oscillation);
    add(
        "recurring-bursts",
        "a steady 10k-40k in one market, and every 4-8 min a burst of +30-50% for about a minute"
            + " (replays, goal alerts, a push notification), for 35-50 min",
        ScenarioFamilies::recurringBursts);
    add(
        "channel-switch",
        "15k-35k viewers of one market move, 50-90% of them over 2-4 min, to another market's"
            + " stream (another region's relays), and back 10-20 min later",
        ScenarioFamilies::channelSwitch);
    add(
        "arrival-waves",
        "one market climbs in 4-6 waves of +3k to +9k, each within 45-75 s and 1-2 min apart,"
            + " holds 10-20 min, then fades",
        ScenarioFamilies::arrivalWaves);
    add(
        "step-10x",
        "an instantaneous x8-x12 step in one market, held 15-30 min, then gone at once or faded",
        ScenarioFamilies::stepTenfold);
    add(
        "frankfurt-surge",
        "Germany from 1k-3k to 25k-60k in 1-4 min (Frankfurt first, London second),"
            + " Ireland and Britain steady",
        ScenarioFamilies::frankfurtSurge);
    add(
        "london-incident-dublin-full",
        "Ireland above Dublin's 180k ceiling (the excess must go to London) while"
            + " London's edge adds 120-250 ms for 20-45 min",
        ScenarioFamilies::londonIncidentDublinFull);
    add(
        "incident-then-surge",
        "Dublin's or London's edge adds 200-400 ms for 15-25 min, and 0-4 min after it starts"
            + " Ireland surges x4-x10 within 1.5-4 min",
        ScenarioFamilies::incidentThenSurge);
    add(
        "flapping-incident-surge",
        "Dublin's or London's edge adds 150-300 ms and clears again every 1-2.5 min for 15-30 min,"
            + " and Ireland surges x3-x6 within 2-4 min while it flaps",
        ScenarioFamilies::flappingIncidentSurge);
    add(
        "dublin-latency-long",
        "a steady audience while Dublin's edge adds 120-300 ms for 60-90 min",
        ScenarioFamilies::dublinLatencyLong);
    add(
        "latency-creep",
        "Dublin's or London's edge degrades gradually, +10-30 ms a minute to +150-300 ms, holds"
            + " 5-20 min, then clears at once or over 3-8 min; a steady audience",
        ScenarioFamilies::latencyCreep);
    add(
        "latency-near-slo",
        "Dublin's or London's edge adds 80-115 ms for 25-40 min, steady or wandering, so its p95"
            + " hovers near the SLO and crosses it now and then; a steady audience",
        ScenarioFamilies::latencyNearSlo);
    add(
        "every-region-degraded",
        "Dublin's and London's edges both slow at once for 15-35 min: one by 150-300 ms, the other"
            + " (starting 0-5 min later) by 60-110 ms on half the seeds, 120-250 ms on the rest;"
            + " a steady audience",
        ScenarioFamilies::everyRegionDegraded);
    add(
        "match",
        "a whole match: build-up, 0-4 goals, a halftime dip, 70-90% gone within 2-4 min of the"
            + " whistle",
        ScenarioFamilies::match);
    add(
        "diurnal",
        "two hours of the daily curve (night trough, 21:00 peak, busier weekends) from a random"
            + " day and hour",
        ScenarioFamilies::diurnal);
    add(
        "real-trace-spike",
        "30-50 min of a real viewer log (its noise and ramps), rescaled, with a synthesized"
            + " x3-x8 spike on top",
        ScenarioFamilies::realTraceSpike);
    add(
        "stream-surge",
        "studios go live: one region's streams x3-x5 within 2 min, its market's viewers up"
            + " 50-200% over 5 min",
        ScenarioFamilies::streamSurge);
    add(
        "gpu-shortage",
        "EC2 runs out of L4s in one region for 15-30 min (0-2 left; on about a third of seeds of"
            + " A10Gs too, 1-3 left) while its streams grow x2-x4 within 1-4 min, from 3 min"
            + " before to 5 min after the shortage starts; a steady audience",
        ScenarioFamilies::gpuShortage);
    add(
        "exodus-return",
        "a 40k-90k audience drops 80-95% within 1-3 min (an outage) and returns 8-20 min later"
            + " within 1-2 min",
        ScenarioFamilies::exodusReturn);
    add(
        "bot-flood",
        "a steady audience, then 5x-50x its viewers in bots (unverified join attempts) for 5-20 min;"
            + " on about half the seeds a modest real rise (+15-50%) during the flood",
        ScenarioFamilies::botFlood);
    add(
        "ad-breaks",
        "a steady 8k-35k in one market; at each ad break 40-70% drift away over 20 s to 2 min and"
            + " come back within 10-20 s when play resumes (breaks of 1-3 min, 2-6 min of play"
            + " apart), for 30-45 min",
        ScenarioFamilies::adBreaks);
    add(
        "silent-relays",
        "a viral spike (x50-x150 within 1.5-3 min) while 30-70% of its market's home region's relays"
            + " stop publishing their counts, from 0-5 min before it to 10-30 min after; on about a"
            + " third of seeds 20-50% of a second region's too",
        ScenarioFamilies::silentRelays);
    add(
        "unheard-region",
        "a viral spike (x50-x150 within 1.5-3 min) while the other region serving its market (London"
            + " for Ireland and Germany, Dublin for Britain) hears from none of its relays (every"
            + " agent silent, its counts missing), from 0-5 min before it to 10-30 min after",
        ScenarioFamilies::unheardRegion);
    add(
        "london-incident-britain-surge",
        "London's edge adds 200-400 ms for 15-25 min while Ireland holds 6k-25k (the router moves"
            + " its joins to Dublin), and 3-8 min into it Britain, which no record steers, surges"
            + " from 1k-6k to 15k-40k within 2-6 min",
        ScenarioFamilies::londonIncidentBritainSurge);
    add(
        "dublin-incident-britain-surge",
        "Dublin's edge adds 200-400 ms for 15-25 min while Ireland holds 6k-25k (the router moves"
            + " its joins to London), and 3-8 min into it Britain, which no record steers, surges"
            + " on London from 1k-6k to 15k-40k within 2-6 min",
        ScenarioFamilies::dublinIncidentBritainSurge);
    add(
        "incidents-in-turn",
        "Dublin's or London's edge adds 150-350 ms for 8-15 min, and 0-4 min after it clears the"
            + " other's does for 8-15 min; a steady Irish audience of 15k-50k",
        ScenarioFamilies::incidentsInTurn);
  }

  private ScenarioFamilies() {}

  private static void add(String name, String summary, Function<ScenarioDraw, Drawn> draw) {
    FAMILIES.put(name, new Entry(new Family(name, summary), draw));
  }

  public static List<Family> all() {
    return FAMILIES.values().stream().map(Entry::family).toList();
  }

  public static List<String> names() {
    return List.copyOf(FAMILIES.keySet());
  }

  /** The family's trace for {@code seed}: the same bytes for the same seed, on every machine. */
  public static Generated generate(String family, long seed) {
    return generate(family, seed, 1);
  }

  /**
   * The family's trace for {@code seed} with every market's viewer noise times {@code noiseScale}:
   * the same draws, so the same shape, sizes and timings, counted more (or less) jittery; the
   * trace's first line says so.
   *
   * @throws IllegalArgumentException for an unknown family, or a scale that is negative or not a
   *     number
   */
  public static Generated generate(String family, long seed, double noiseScale) {
    Entry e = FAMILIES.get(family);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown family '" + family + "': use one of " + String.join(", ", names()));
    }
    requireNoiseScale(noiseScale);
    ScenarioDraw d = new ScenarioDraw(ScenarioDraw.randomFor(family, seed), noiseScale);
    Drawn drawn = e.draw().apply(d);
    String csv =
        drawn
            .scenario()
            .csv(
                d.random(),
                "liffey suite family "
                    + family
                    + ", seed "
                    + seed
                    + (noiseScale == 1
                        ? ""
                        : ", viewer noise x"
                            + java.math.BigDecimal.valueOf(noiseScale)
                                .stripTrailingZeros()
                                .toPlainString())
                    + ": "
                    + drawn.parameters());
    return new Generated(family, seed, drawn.parameters(), csv);
  }

  /**
   * {@code noiseScale}, if a scale of the drawn noise: finite and 0 or more.
   *
   * @throws IllegalArgumentException otherwise
   */
  static double requireNoiseScale(double noiseScale) {
    if (!(noiseScale >= 0) || Double.isInfinite(noiseScale)) {
      throw new IllegalArgumentException("a noise scale must be 0 or more, got " + noiseScale);
    }
    return noiseScale;
  }

  // ---- the reference instances of the bundled traces (seed noise only)

  /**
   * The bundled viral spike: Irish viewers 100 to 10,000 in two minutes at 10 min, 15 min plateau,
   * fade.
   */
  static Scenario viralSpikeReference() {
    double at = 600;
    Keyframes ie =
        Keyframes.from(100)
            .hold(at)
            .to(at + 120, 10_000, EXPONENTIAL)
            .hold(at + 1_020)
            .to(at + 2_020, 1_500);
    return new Scenario(
        2_700,
        10,
        List.of(
            new Curve("IE", ie, 0.02),
            new Curve("GB", Keyframes.from(60).jump(at + 70, 960), 0.03),
            new Curve("DE", Keyframes.from(40), 0.03)),
        60,
        streams(Keyframes.from(6).jump(at, 14), Keyframes.from(4), Keyframes.from(3)),
        List.of());
  }

  /**
   * The bundled match: 45 min build-up, kick-off at IE 60k / GB 20k, two goals, halftime dip, fast
   * exit.
   */
  static Scenario matchReference() {
    MatchTimes m = MatchTimes.of(20 * 60, 45 * 60, 47 * 60, 15 * 60, 48 * 60, 15 * 60);
    Keyframes share =
        Keyframes.from(0.07)
            .hold(m.rampFrom)
            .to(m.kickOff, 1.0, SMOOTH)
            .hold(m.halfTime)
            .to(m.halfTime + 180, 0.65)
            .hold(m.secondHalf - 240)
            .to(m.secondHalf, 1.0)
            .to(m.whistle, 1.05)
            .to(m.whistle + 180, 0.2)
            .to(m.whistle + 780, 0.03);
    DoubleUnaryOperator goals =
        goals(List.of(m.kickOff + 23 * 60, m.secondHalf + 31 * 60), 0.08, 300);
    return new Scenario(
        m.end,
        10,
        List.of(
            new Curve(
                "IE", t -> 60_000 * share.applyAsDouble(t) * (1 + goals.applyAsDouble(t)), 0.01),
            new Curve(
                "GB", t -> 20_000 * share.applyAsDouble(t) * (1 + goals.applyAsDouble(t)), 0.01),
            new Curve("DE", t -> 3_000 * share.applyAsDouble(t), 0.02)),
        60,
        streams(
            Keyframes.from(12).jump(30 * 60, 30).jump(m.whistle + 300, 12),
            Keyframes.from(8).jump(30 * 60, 16).jump(m.whistle + 300, 8),
            Keyframes.from(4)),
        List.of());
  }

  /** The bundled week: IE 25k, GB 15k, DE 6k at the daily peak, weekends 1.3x, one-minute rows. */
  static Scenario diurnalWeekReference() {
    DoubleUnaryOperator s = t -> diurnalShare(t, 1.3);
    return new Scenario(
        7 * 86_400,
        60,
        List.of(
            new Curve("IE", t -> 25_000 * s.applyAsDouble(t), 0.02),
            new Curve("GB", t -> 15_000 * s.applyAsDouble(t), 0.02),
            new Curve("DE", t -> 6_000 * s.applyAsDouble(t), 0.02)),
        600,
        diurnalStreams(s),
        List.of());
  }

  /**
   * The bundled incident: 2 h of IE 20k, GB 8k, DE 3k; Dublin's edge adds 180 ms from 0:30 to 1:30.
   */
  static Scenario dublinLatencyReference() {
    return new Scenario(
        2 * 3_600,
        10,
        List.of(
            new Curve("IE", Keyframes.from(20_000), 0.02),
            new Curve("GB", Keyframes.from(8_000), 0.02),
            new Curve("DE", Keyframes.from(3_000), 0.02)),
        60,
        streams(Keyframes.from(10), Keyframes.from(6), Keyframes.from(3)),
        List.of(
            new LatencyChange(30 * 60, "eu-west-1", 180),
            new LatencyChange(90 * 60, "eu-west-1", 0)));
  }

  // ---- the families

  /**
   * A viral spike: from 50-300 viewers x50-x150 (at most 45k) within 1.5-3 min, starting {@code
   * earliest} to 15 min in, a 10-20 min plateau, a 10-25 min fade to 10-25% of the peak.
   */
  private record Spike(
      double base,
      double factor,
      double at,
      double rise,
      double plateau,
      double fade,
      Keyframes curve) {
    static Spike draw(ScenarioDraw d, double earliest) {
      double base = d.between(50, 300);
      double factor = Math.min(d.between(50, 150), 45_000 / base);
      double at = d.minutes(earliest, 15);
      double rise = d.seconds(90, 180);
      double plateau = d.minutes(10, 20);
      double fade = d.minutes(10, 25);
      double floor = base * factor * d.between(0.1, 0.25);
      Keyframes curve =
          Keyframes.from(base)
              .hold(at)
              .to(at + rise, base * factor, EXPONENTIAL)
              .hold(at + rise + plateau)
              .to(at + rise + plateau + fade, floor);
      return new Spike(base, factor, at, rise, plateau, fade, curve);
    }
  }

  private static Drawn viralSpike(ScenarioDraw d) {
    String m = d.market();
    Spike s = Spike.draw(d, 6);
    String joiner = d.pick(others(m));
    double joins = s.base() * s.factor() * d.between(0.02, 0.12);
    double joinFrom = s.at() + d.seconds(30, 120);
    double length = s.curve().lastTime() + d.minutes(3, 8);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put(m, s.curve());
    DoubleUnaryOperator joinerBase = curves.get(joiner);
    Keyframes join = Keyframes.from(0).hold(joinFrom).to(joinFrom + s.rise(), joins);
    curves.put(joiner, t -> joinerBase.applyAsDouble(t) + join.applyAsDouble(t));
    return new Drawn(
        new Scenario(length, 10, noisy(d, curves), 60, streamsRising(d, m, s.at()), List.of()),
        String.format(
            Locale.ROOT,
            "%s %,.0f to %,.0f in %.0f s at %s, %.0f min plateau, %.0f min fade; %s +%,.0f",
            m,
            s.base(),
            s.base() * s.factor(),
            s.rise(),
            clock(s.at()),
            s.plateau() / 60,
            s.fade() / 60,
            joiner,
            joins));
  }

  private static Drawn flashCrowd(ScenarioDraw d) {
    String m = d.market();
    double base = d.between(500, 3_000);
    double add = d.between(10_000, 18_000);
    double at = d.minutes(6, 15);
    double rise = d.seconds(30, 60);
    double plateau = d.minutes(10, 25);
    double fade = d.minutes(5, 15);
    Keyframes crowd =
        Keyframes.from(base)
            .hold(at)
            .to(at + rise, base + add, SMOOTH)
            .hold(at + rise + plateau)
            .to(at + rise + plateau + fade, base * d.between(1, 2));
    double length = crowd.lastTime() + d.minutes(3, 8);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put(m, crowd);
    return new Drawn(
        new Scenario(length, 10, noisy(d, curves), 60, streamsRising(d, m, at), List.of()),
        String.format(
            Locale.ROOT,
            "%s +%,.0f on %,.0f in %.0f s at %s, %.0f min plateau, %.0f min fade",
            m,
            add,
            base,
            rise,
            clock(at),
            plateau / 60,
            fade / 60));
  }

  private static Drawn kickOffRamp(ScenarioDraw d) {
    double peak = d.between(45_000, 75_000);
    double gb = d.between(0.2, 0.4);
    double de = d.between(0.02, 0.05);
    double start = d.between(0.02, 0.08);
    double rampFrom = d.minutes(3, 8);
    double kickOff = rampFrom + d.minutes(20, 35);
    double halfTime = kickOff + d.minutes(46, 49);
    double dip = d.between(0.25, 0.45);
    double secondHalf = halfTime + 15 * 60;
    Keyframes share =
        Keyframes.from(start)
            .hold(rampFrom)
            .to(kickOff, 1.0, QUADRATIC)
            .hold(halfTime)
            .to(halfTime + d.seconds(120, 240), 1 - dip)
            .hold(secondHalf - d.seconds(180, 300))
            .to(secondHalf, 1.0);
    double length = secondHalf + d.minutes(10, 20);
    Map<String, DoubleUnaryOperator> curves = new LinkedHashMap<>();
    curves.put("IE", t -> peak * share.applyAsDouble(t));
    curves.put("GB", t -> peak * gb * share.applyAsDouble(t));
    curves.put("DE", t -> peak * de * share.applyAsDouble(t));
    return new Drawn(
        new Scenario(
            length,
            10,
            noisy(d, curves),
            60,
            matchStreams(d, kickOff - 15 * 60, length),
            List.of()),
        String.format(
            Locale.ROOT,
            "IE %,.0f (GB %.0f%%, DE %.0f%%) at kick-off %s after a %.0f min quadratic ramp"
                + " from %.0f%%; halftime dip %.0f%% at %s",
            peak,
            100 * gb,
            100 * de,
            clock(kickOff),
            (kickOff - rampFrom) / 60,
            100 * start,
            100 * dip,
            clock(halfTime)));
  }

  private static Drawn twinSpike(ScenarioDraw d) {
    List<String> pair = d.twoMarkets();
    double at = d.minutes(6, 15);
    double length = at + d.minutes(35, 45);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    List<String> words = new ArrayList<>();
    for (String m : pair) {
      double base = d.between(300, 1_500);
      double factor = Math.min(d.between(20, 60), 60_000 / base);
      double start = at + d.seconds(0, 60);
      double rise = d.seconds(60, 180);
      Keyframes spike =
          Keyframes.from(base)
              .hold(start)
              .to(start + rise, base * factor, EXPONENTIAL)
              .hold(start + rise + d.minutes(10, 20))
              .to(start + rise + d.minutes(30, 35), base * factor * d.between(0.15, 0.3));
      curves.put(m, spike);
      words.add(
          String.format(
              Locale.ROOT,
              "%s %,.0f to %,.0f in %.0f s at %s",
              m,
              base,
              base * factor,
              rise,
              clock(start)));
    }
    return new Drawn(
        new Scenario(
            length, 10, noisy(d, curves), 60, streamsRising(d, pair.get(0), at), List.of()),
        String.join("; ", words));
  }

  private static Drawn falseAlarm(ScenarioDraw d) {
    String m = d.market();
    double base = d.between(1_000, 4_000);
    double blip = d.between(8_000, 16_000);
    double at = d.minutes(8, 20);
    double rise = d.seconds(10, 20);
    double lasts = d.seconds(40, 80);
    Keyframes curve =
        Keyframes.from(base)
            .hold(at)
            .to(at + rise, base + blip)
            .hold(at + lasts - rise)
            .to(at + lasts, base);
    double length = at + d.minutes(22, 25);
    return oneMarket(
        d,
        m,
        curve,
        length,
        String.format(
            Locale.ROOT, "%s +%,.0f on %,.0f at %s for %.0f s", m, blip, base, clock(at), lasts));
  }

  private static Drawn stair(ScenarioDraw d) {
    String m = d.market();
    double base = d.between(600, 1_500);
    double factor = d.between(2.5, 3.5);
    double every = d.minutes(4, 6);
    double ramp = d.seconds(10, 30);
    double t = d.minutes(5, 10);
    Keyframes curve = Keyframes.from(base).hold(t);
    int jumps = 0;
    while (jumps < 4 && curve.last() * factor <= 90_000) {
      curve.to(t + ramp, curve.last() * factor).hold(t + every);
      t += every;
      jumps++;
    }
    double peak = curve.last();
    t += d.minutes(10, 15) - every;
    curve.hold(t);
    int down = d.wholeBetween(1, 3);
    for (int i = down - 1; i >= 0; i--) {
      curve.to(t + ramp, base + (peak - base) * i / down);
      t += d.minutes(2, 5);
      curve.hold(t);
    }
    double length = t + d.minutes(3, 5);
    return oneMarket(
        d,
        m,
        curve,
        length,
        String.format(
            Locale.ROOT,
            "%s %,.0f x%.2f every %.1f min, %d jumps to %,.0f, down in %d step%s",
            m,
            base,
            factor,
            every / 60,
            jumps,
            peak,
            down,
            down == 1 ? "" : "s"));
  }

  /**
   * Most families' trace: one market's curve over the other markets' backgrounds, streams steady.
   * The words are formatted from what was drawn; the noise and streams are drawn here, after the
   * backgrounds, in the order every such family has always drawn them.
   */
  private static Drawn oneMarket(
      ScenarioDraw d, String m, DoubleUnaryOperator curve, double length, String words) {
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put(m, curve);
    return new Drawn(
        new Scenario(length, 10, noisy(d, curves), 60, steadyStreams(d), List.of()), words);
  }

  private static Drawn sawtooth(ScenarioDraw d) {
    String m = d.market();
    double low = d.between(2_000, 6_000);
    double high = d.between(15_000, 35_000);
    double period = d.minutes(5, 7);
    double climb = period * d.between(0.7, 0.95);
    double drop = d.seconds(10, 30);
    double t = d.minutes(3, 6);
    double until = t + d.minutes(40, 55);
    Keyframes curve = Keyframes.from(low).hold(t);
    int teeth = 0;
    while (t + period <= until) {
      curve.to(t + climb, high).to(t + Math.min(period, climb + drop), low).hold(t + period);
      t += period;
      teeth++;
    }
    double length = t + d.minutes(3, 5);
    return oneMarket(
        d,
        m,
        curve,
        length,
        String.format(
            Locale.ROOT,
            "%s %,.0f to %,.0f over %.0f s, down in %.0f s, every %.1f min, %d teeth",
            m,
            low,
            high,
            climb,
            drop,
            period / 60,
            teeth));
  }

  private static Drawn oscillation(ScenarioDraw d) {
    String m = d.market();
    double low = d.between(4_000, 12_000);
    double high = low * d.between(2, 4);
    double period = d.seconds(90, 180);
    double t = d.minutes(3, 6);
    double until = t + d.minutes(30, 45);
    Keyframes curve = Keyframes.from(low).hold(t);
    int swings = 0;
    while (t + period <= until) {
      curve.to(t + period / 2, high).to(t + period, low);
      t += period;
      swings++;
    }
    double length = t + d.minutes(3, 5);
    return oneMarket(
        d,
        m,
        curve,
        length,
        String.format(
            Locale.ROOT,
            "%s %,.0f to %,.0f and back every %.0f s, %d swings",
            m,
            low,
            high,
            period,
            swings));
  }

  /**
   * A match's audience through its ad breaks: viewers drift away while the ads run and are back at
   * once when play resumes, faster than any capacity boots. Added after this shape, tried outside
   * the suite (with swings up in 20 s and down over 1-2 min, and dips of half a steady audience for
   * 30-90 s), showed Liffey giving up every break's capacity as the audience drifted off and
   * meeting every return with 11 of the 18 relays it needed: 2.4M-4.0M viewer-seconds unserved
   * where target tracking with 10 s metrics lost 0.4M-1.6M; on the short dips, 8k-164k where target
   * tracking (which holds its peak for 15 minutes) lost none, and for less.
   */
  private static Drawn adBreaks(ScenarioDraw d) {
    String m = d.market();
    double level = d.between(8_000, m.equals("DE") ? 25_000 : 35_000);
    double t = d.minutes(4, 8);
    double until = t + d.minutes(30, 45);
    Keyframes curve = Keyframes.from(level).hold(t);
    List<String> breaks = new ArrayList<>();
    while (true) {
      double length = d.seconds(60, 180);
      double drift = Math.min(length - 10, d.seconds(20, 120));
      double back = d.seconds(10, 20);
      double gone = d.between(0.4, 0.7);
      if (t + length + back > until) {
        break;
      }
      curve.to(t + drift, level * (1 - gone)).hold(t + length).to(t + length + back, level);
      breaks.add(
          String.format(Locale.ROOT, "%s -%.0f%% for %.0f s", clock(t), gone * 100, length + back));
      t += length + back + d.minutes(2, 6);
      curve.hold(t);
    }
    double total = t + d.minutes(3, 5);
    return oneMarket(
        d,
        m,
        curve,
        total,
        String.format(
            Locale.ROOT,
            "%s steady %,.0f, %d ad breaks: %s",
            m,
            level,
            breaks.size(),
            String.join(", ", breaks)));
  }

  /**
   * Short bursts on a steady audience, minutes apart: each is over before capacity launched for it
   * is in service, and the next comes after any scale-in window has passed. Added after this shape,
   * tried outside the suite, showed target tracking (which holds its peak for 15 minutes) meeting
   * each burst with the capacity the last one left, for less than Liffey spent.
   */
  private static Drawn recurringBursts(ScenarioDraw d) {
    String m = d.market();
    double level = d.between(10_000, m.equals("DE") ? 30_000 : 40_000);
    double t = d.minutes(4, 8);
    double until = t + d.minutes(35, 50);
    Keyframes curve = Keyframes.from(level).hold(t);
    List<String> bursts = new ArrayList<>();
    while (t < until) {
      double amplitude = d.between(0.3, 0.5);
      double rise = d.seconds(10, 20);
      double lasts = d.seconds(40, 70);
      double fall = d.seconds(10, 20);
      curve
          .to(t + rise, level * (1 + amplitude))
          .hold(t + rise + lasts)
          .to(t + rise + lasts + fall, level);
      bursts.add(String.format(Locale.ROOT, "%s +%.0f%%", clock(t), amplitude * 100));
      t += d.minutes(4, 8);
      curve.hold(t);
    }
    double length = t + d.minutes(3, 5);
    return oneMarket(
        d,
        m,
        curve,
        length,
        String.format(
            Locale.ROOT,
            "%s steady %,.0f, %d bursts of about a minute: %s",
            m,
            level,
            bursts.size(),
            String.join(", ", bursts)));
  }

  /**
   * An audience that moves between markets at once (a game switching channel, a match ending as
   * another starts): the total barely changes, but the capacity it needs moves between regions.
   */
  private static Drawn channelSwitch(ScenarioDraw d) {
    List<String> pair = new ArrayList<>(d.twoMarkets());
    if (d.chance(0.5)) {
      Collections.reverse(pair);
    }
    String from = pair.get(0);
    String to = pair.get(1);
    double audience = d.between(15_000, 35_000);
    double share = d.between(0.5, 0.9);
    double at = d.minutes(6, 12);
    double move = d.seconds(120, 240);
    double stay = d.minutes(10, 20);
    double moved = audience * share;
    double length = at + 2 * move + stay + d.minutes(5, 10);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    Keyframes away =
        Keyframes.from(0)
            .hold(at)
            .to(at + move, moved, SMOOTH)
            .hold(at + move + stay)
            .to(at + 2 * move + stay, 0, SMOOTH);
    DoubleUnaryOperator fromBase = curves.get(from);
    DoubleUnaryOperator toBase = curves.get(to);
    curves.put(from, t -> fromBase.applyAsDouble(t) + audience - away.applyAsDouble(t));
    curves.put(to, t -> toBase.applyAsDouble(t) + away.applyAsDouble(t));
    return new Drawn(
        new Scenario(length, 10, noisy(d, curves), 60, steadyStreams(d), List.of()),
        String.format(
            Locale.ROOT,
            "%,.0f of %s's %,.0f to %s over %.0f s at %s, back after %.0f min",
            moved,
            from,
            audience,
            to,
            move,
            clock(at),
            stay / 60));
  }

  /** Viewers arriving in waves (lineups announced, a second stream promoted), not one ramp. */
  private static Drawn arrivalWaves(ScenarioDraw d) {
    String m = d.market();
    double base = d.between(1_000, 4_000);
    int waves = (int) Math.round(d.between(4, 6));
    double t = d.minutes(5, 10);
    Keyframes curve = Keyframes.from(base).hold(t);
    double level = base;
    for (int i = 0; i < waves; i++) {
      double rise = d.seconds(45, 75);
      level += d.between(3_000, 9_000);
      curve.to(t + rise, level, SMOOTH);
      t += rise + d.seconds(60, 120);
      curve.hold(t);
    }
    double peak = level;
    double hold = d.minutes(10, 20);
    curve
        .hold(t + hold)
        .to(t + hold + d.minutes(5, 10), base + (peak - base) * d.between(0.1, 0.3));
    double length = curve.lastTime() + d.minutes(3, 5);
    return oneMarket(
        d,
        m,
        curve,
        length,
        String.format(
            Locale.ROOT,
            "%s %,.0f to %,.0f in %d waves, held %.0f min",
            m,
            base,
            peak,
            waves,
            hold / 60));
  }

  private static Drawn stepTenfold(ScenarioDraw d) {
    String m = d.market();
    double base = d.between(2_000, 7_000);
    double factor = d.between(8, 12);
    double at = d.minutes(8, 15);
    double hold = d.minutes(15, 30);
    boolean instantEnd = d.chance(0.5);
    Keyframes curve = Keyframes.from(base).jump(at, base * factor).hold(at + hold);
    if (instantEnd) {
      curve.jump(at + hold, base);
    } else {
      curve.to(at + hold + d.minutes(8, 12), base);
    }
    double length = curve.lastTime() + d.minutes(5, 10);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put(m, curve);
    return new Drawn(
        new Scenario(length, 10, noisy(d, curves), 60, streamsRising(d, m, at), List.of()),
        String.format(
            Locale.ROOT,
            "%s %,.0f x%.1f at once at %s, held %.0f min, then %s",
            m,
            base,
            factor,
            clock(at),
            hold / 60,
            instantEnd ? "gone at once" : "faded"));
  }

  private static Drawn frankfurtSurge(ScenarioDraw d) {
    double base = d.between(1_000, 3_000);
    double peak = d.between(25_000, 60_000);
    double at = d.minutes(8, 15);
    double rise = d.seconds(60, 240);
    double plateau = d.minutes(10, 20);
    Keyframes de =
        Keyframes.from(base)
            .hold(at)
            .to(at + rise, peak, EXPONENTIAL)
            .hold(at + rise + plateau)
            .to(at + rise + plateau + d.minutes(10, 20), peak * d.between(0.2, 0.4));
    double length = de.lastTime() + d.minutes(3, 8);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put("DE", de);
    return new Drawn(
        new Scenario(length, 10, noisy(d, curves), 60, streamsRising(d, "DE", at), List.of()),
        String.format(
            Locale.ROOT,
            "DE %,.0f to %,.0f in %.0f s at %s, %.0f min plateau",
            base,
            peak,
            rise,
            clock(at),
            plateau / 60));
  }

  private static Drawn londonIncidentDublinFull(ScenarioDraw d) {
    double peak = d.between(195_000, 235_000);
    double from = d.between(120_000, 150_000);
    double gb = d.between(20_000, 40_000);
    double full = d.minutes(10, 15);
    Keyframes ie = Keyframes.from(from).hold(d.minutes(2, 4)).to(full, peak, SMOOTH);
    double incident = full + d.minutes(0, 5);
    double lasts = d.minutes(20, 45);
    double extra = d.between(120, 250);
    double length = incident + lasts + d.minutes(10, 20);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put("IE", ie);
    curves.put("GB", Keyframes.from(gb).to(length, gb * d.between(0.9, 1.1)));
    return new Drawn(
        withIncident(d, length, curves, "eu-west-2", incident, lasts, extra),
        String.format(
            Locale.ROOT,
            "IE %,.0f to %,.0f by %s, GB %,.0f; London +%.0f ms from %s for %.0f min",
            from,
            peak,
            clock(full),
            gb,
            extra,
            clock(incident),
            lasts / 60));
  }

  /**
   * Ireland at {@code ie} until {@code surge}, {@code factor} times that {@code rise} seconds
   * later, then drifting down by up to a fifth until {@code length}.
   */
  private static DoubleUnaryOperator irishSurge(
      ScenarioDraw d, double ie, double factor, double surge, double rise, double length) {
    return Keyframes.from(ie)
        .hold(surge)
        .to(surge + rise, ie * factor, SMOOTH)
        .to(length, ie * factor * d.between(0.8, 1.0));
  }

  private static Drawn incidentThenSurge(ScenarioDraw d) {
    IrishEdge edge = IrishEdge.draw(d);
    String slow = edge.region();
    Incident incident = Incident.draw(d);
    double ie = d.between(5_000, 12_000);
    double factor = d.between(4, 10);
    double surge = incident.at() + d.minutes(0, 4);
    double rise = d.seconds(90, 240);
    double length = incident.at() + incident.lasts() + d.minutes(8, 15);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put("IE", irishSurge(d, ie, factor, surge, rise, length));
    return new Drawn(
        withIncident(d, length, curves, slow, incident.at(), incident.lasts(), incident.extra()),
        String.format(
            Locale.ROOT,
            "%s +%.0f ms from %s for %.0f min; IE %,.0f to %,.0f in %.0f s at %s",
            edge.city(),
            incident.extra(),
            clock(incident.at()),
            incident.lasts() / 60,
            ie,
            ie * factor,
            rise,
            clock(surge)));
  }

  /**
   * London slow while Britain surges: the router moves Ireland's joins off London, whose relays
   * then shrink to Britain's audience and the Irish still watching there, and Britain's surge,
   * which no routing record can steer, lands on what is left. Added after this shape, tried outside
   * the suite on ten seeds, showed the router losing viewers fixed routing served on five.
   */
  private static Drawn londonIncidentBritainSurge(ScenarioDraw d) {
    return incidentWhileBritainSurges(d, IrishEdge.LONDON);
  }

  /**
   * Dublin slow while Britain surges: the router moves Ireland's joins to London, and Britain's
   * surge, which no routing record can steer, lands on the same relays; a shift must leave London
   * room for it. The mirror of {@code london-incident-britain-surge}, tried outside the suite on
   * six seeds (stop 68): the router served every viewer on four, where fixed routing lost 5k-102k
   * viewer-seconds on each, for 1.25-1.30x the oracle's cost.
   */
  private static Drawn dublinIncidentBritainSurge(ScenarioDraw d) {
    return incidentWhileBritainSurges(d, IrishEdge.DUBLIN);
  }

  /** {@code slow}'s edge adds 200-400 ms, and 3-8 min into it Britain surges. */
  private static Drawn incidentWhileBritainSurges(ScenarioDraw d, IrishEdge slow) {
    Incident incident = Incident.draw(d);
    double ie = d.between(6_000, 25_000);
    double gb = d.between(1_000, 6_000);
    double peak = d.between(15_000, 40_000);
    double surge = incident.at() + d.minutes(3, 8);
    double rise = d.seconds(120, 360);
    double length = incident.at() + incident.lasts() + d.minutes(8, 15);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put("IE", Keyframes.from(ie).to(length, ie * d.between(0.9, 1.1)));
    curves.put(
        "GB",
        Keyframes.from(gb)
            .hold(surge)
            .to(surge + rise, peak, SMOOTH)
            .to(length, peak * d.between(0.8, 1.0)));
    return new Drawn(
        withIncident(
            d, length, curves, slow.region(), incident.at(), incident.lasts(), incident.extra()),
        String.format(
            Locale.ROOT,
            "%s +%.0f ms from %s for %.0f min; IE %,.0f; GB %,.0f to %,.0f in %.0f s at %s",
            slow.city(),
            incident.extra(),
            clock(incident.at()),
            incident.lasts() / 60,
            ie,
            gb,
            peak,
            rise,
            clock(surge)));
  }

  /**
   * One Irish region's edge slows and clears, and 0-4 min later the other's slows: the router moves
   * Ireland's joins onto the region that is healthy during the first incident, and sessions stay
   * where they joined, so the viewers it moved are watching there when that region slows in turn.
   * Tried outside the suite on six seeds (stop 68): the router was 6-28% slower than fixed routing,
   * which kept most of Ireland on the region that had recovered, and cost 1.30-1.36x the oracle's;
   * the oracle that moves every join at once was slower than fixed routing on five.
   */
  private static Drawn incidentsInTurn(ScenarioDraw d) {
    IrishEdge first = IrishEdge.draw(d);
    IrishEdge second = first.other();
    double ie = d.between(15_000, 50_000);
    double start = d.minutes(4, 8);
    double firstLasts = d.minutes(8, 15);
    double firstExtra = d.between(150, 350);
    double secondStart = start + firstLasts + d.minutes(0, 4);
    double secondLasts = d.minutes(8, 15);
    double secondExtra = d.between(150, 350);
    double length = secondStart + secondLasts + d.minutes(10, 15);
    return twoIncidents(
        d,
        ie,
        length,
        new Slowed(first, start, firstLasts, firstExtra),
        new Slowed(second, secondStart, secondLasts, secondExtra),
        ", then ");
  }

  /**
   * A flapping edge (a failing NIC, a bad peering link) while Ireland surges: the router moves
   * Ireland off the flapping region, and the surge then lands on the other region's relays and
   * services alone. Added after this shape, tried outside the suite, showed the router doubling the
   * service shortfall fixed routing had (London's services met the surge alone).
   */
  private static Drawn flappingIncidentSurge(ScenarioDraw d) {
    IrishEdge edge = IrishEdge.draw(d);
    String slow = edge.region();
    double start = d.minutes(6, 12);
    double extra = d.between(150, 300);
    double lasts = d.minutes(15, 30);
    double ie = d.between(8_000, 15_000);
    double factor = d.between(3, 6);
    double surge = start + d.minutes(2, 8);
    double rise = d.seconds(120, 240);
    double length = start + lasts + d.minutes(8, 15);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put("IE", irishSurge(d, ie, factor, surge, rise, length));
    List<LatencyChange> flaps = new ArrayList<>();
    double t = start;
    while (t < start + lasts) {
      flaps.add(new LatencyChange(t, slow, flaps.size() % 2 == 0 ? Math.round(extra) : 0));
      t += d.seconds(60, 150);
    }
    if (flaps.size() % 2 == 1) {
      flaps.add(new LatencyChange(t, slow, 0));
    }
    return new Drawn(
        withLatency(d, length, curves, flaps),
        String.format(
            Locale.ROOT,
            "%s +%.0f ms on and off from %s, %d times in %.0f min; IE %,.0f to %,.0f in %.0f s at %s",
            edge.city(),
            extra,
            clock(start),
            flaps.size() / 2,
            (t - start) / 60,
            ie,
            ie * factor,
            rise,
            clock(surge)));
  }

  private static Drawn dublinLatencyLong(ScenarioDraw d) {
    Map<String, DoubleUnaryOperator> curves = new LinkedHashMap<>();
    double ie = d.between(12_000, 30_000);
    double gb = d.between(5_000, 12_000);
    double de = d.between(1_000, 5_000);
    double at = d.minutes(10, 30);
    double lasts = Math.min(d.minutes(60, 90), 110 * 60 - at);
    double extra = d.between(120, 300);
    double length = at + lasts + d.minutes(5, 10);
    curves.put("IE", Keyframes.from(ie).to(length, ie * d.between(0.85, 1.15)));
    curves.put("GB", Keyframes.from(gb).to(length, gb * d.between(0.85, 1.15)));
    curves.put("DE", Keyframes.from(de).to(length, de * d.between(0.85, 1.15)));
    return new Drawn(
        withIncident(d, length, curves, "eu-west-1", at, lasts, extra),
        String.format(
            Locale.ROOT,
            "IE %,.0f, GB %,.0f, DE %,.0f; Dublin +%.0f ms from %s for %.0f min",
            ie,
            gb,
            de,
            extra,
            clock(at),
            lasts / 60));
  }

  /**
   * An edge degrading gradually (congested peering, a failing transit path) rather than at once:
   * its p95 says minutes ahead that it will break the SLO. Added after this shape, tried outside
   * the suite, showed the router leaving Dublin only once it had broken it, the joins of the
   * minutes before landing there to be slow.
   */
  private static Drawn latencyCreep(ScenarioDraw d) {
    IrishEdge edge = IrishEdge.draw(d);
    String slow = edge.region();
    double ie = d.between(20_000, 80_000);
    double start = d.minutes(10, 15);
    double perMinute = d.between(10, 30);
    double peak = d.between(150, 300);
    double climb = peak / perMinute * 60;
    double holds = d.minutes(5, 20);
    double clears = d.chance(0.5) ? 0 : d.minutes(3, 8);
    double length = start + climb + holds + clears + d.minutes(10, 15);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put("IE", Keyframes.from(ie).to(length, ie * d.between(0.85, 1.15)));
    List<LatencyChange> latency = new ArrayList<>();
    for (double t = 0; t < climb; t += 10) {
      latency.add(new LatencyChange(start + t, slow, Math.round(peak * t / climb)));
    }
    double clearing = start + climb + holds;
    latency.add(new LatencyChange(start + climb, slow, Math.round(peak)));
    for (double t = 10; t < clears; t += 10) {
      latency.add(new LatencyChange(clearing + t, slow, Math.round(peak * (1 - t / clears))));
    }
    latency.add(new LatencyChange(clearing + Math.max(clears, 10), slow, 0));
    return new Drawn(
        withLatency(d, length, curves, latency),
        String.format(
            Locale.ROOT,
            "%s +%.0f ms a minute from %s to +%.0f ms, held %.0f min, %s; IE %,.0f",
            edge.city(),
            perMinute,
            clock(start),
            peak,
            holds / 60,
            clears == 0
                ? "cleared at once"
                : String.format(Locale.ROOT, "cleared over %.0f min", clears / 60),
            ie));
  }

  /**
   * An edge slowed to just under the SLO, its p95 (the extra, the relays' queueing, the network's
   * jitter) hovering near it: what the router must not read as a rise, or move Ireland on noise.
   * Added with the router's rule that leaves a region whose p95 is rising over the SLO, after its
   * first form moved Ireland off a Dublin hovering at 120-145 ms and lost viewers fixed routing
   * served.
   */
  private static Drawn latencyNearSlo(ScenarioDraw d) {
    IrishEdge edge = IrishEdge.draw(d);
    double ie = d.between(30_000, 80_000);
    double start = d.minutes(8, 15);
    double lasts = d.minutes(25, 40);
    double extra = d.between(80, 115);
    boolean wanders = d.chance(0.5);
    double length = start + lasts + d.minutes(10, 15);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put("IE", Keyframes.from(ie).to(length, ie * d.between(0.9, 1.1)));
    List<LatencyChange> latency = new ArrayList<>();
    double now = extra;
    for (double t = 0; t < lasts; t += 10) {
      if (wanders) {
        now = Math.max(60, Math.min(140, now + d.between(-8, 8)));
      }
      latency.add(new LatencyChange(start + t, edge.region(), Math.round(now)));
    }
    latency.add(new LatencyChange(start + lasts, edge.region(), 0));
    return new Drawn(
        withLatency(d, length, curves, latency),
        String.format(
            Locale.ROOT,
            "%s +%.0f ms%s from %s for %.0f min; IE %,.0f",
            edge.city(),
            extra,
            wanders ? " wandering 60-140" : "",
            clock(start),
            lasts / 60,
            ie));
  }

  /**
   * Both of Ireland's regions slow at once (a shared transit path, an attack on both): for a while
   * no region is within the SLO, and the router can only choose the less slow. On half the seeds
   * one is only a little over it (most of its viewers within it). Added after this shape, tried
   * outside the suite, showed the router sending Ireland back to a Dublin at 257 ms from a London
   * at 165 ms, by headroom alone.
   */
  private static Drawn everyRegionDegraded(ScenarioDraw d) {
    IrishEdge first = IrishEdge.draw(d);
    IrishEdge second = first.other();
    double ie = d.between(15_000, 60_000);
    double start = d.minutes(8, 15);
    double firstLasts = d.minutes(15, 35);
    double firstExtra = d.between(150, 300);
    double secondStart = start + d.minutes(0, 5);
    double secondLasts = d.minutes(15, 35);
    double secondExtra = d.chance(0.5) ? d.between(60, 110) : d.between(120, 250);
    double length = Math.max(start + firstLasts, secondStart + secondLasts) + d.minutes(8, 12);
    return twoIncidents(
        d,
        ie,
        length,
        new Slowed(first, start, firstLasts, firstExtra),
        new Slowed(second, secondStart, secondLasts, secondExtra),
        ", ");
  }

  /** An Irish region's edge slowed: from when, for how long, by how many ms. */
  private record Slowed(IrishEdge edge, double at, double lasts, double extra) {
    String words() {
      return String.format(
          Locale.ROOT,
          "%s +%.0f ms from %s for %.0f min",
          edge.city(),
          extra,
          clock(at),
          lasts / 60);
    }
  }

  /**
   * A steady Irish audience of {@code ie} over {@code length} while both Irish regions' edges slow,
   * each as drawn; the parameters name them in turn, {@code joined} between.
   */
  private static Drawn twoIncidents(
      ScenarioDraw d, double ie, double length, Slowed first, Slowed second, String joined) {
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put("IE", Keyframes.from(ie).to(length, ie * d.between(0.9, 1.1)));
    List<LatencyChange> latency = new ArrayList<>();
    for (Slowed s : List.of(first, second)) {
      latency.add(new LatencyChange(s.at(), s.edge().region(), Math.round(s.extra())));
      latency.add(new LatencyChange(s.at() + s.lasts(), s.edge().region(), 0));
    }
    latency.sort(Comparator.comparingDouble(LatencyChange::atSeconds));
    return new Drawn(
        withLatency(d, length, curves, latency),
        first.words() + joined + second.words() + String.format(Locale.ROOT, "; IE %,.0f", ie));
  }

  private static Drawn match(ScenarioDraw d) {
    double ie = d.between(40_000, 80_000);
    double gb = d.between(10_000, 30_000);
    double de = d.between(1_000, 5_000);
    double rampFrom = d.minutes(5, 10);
    MatchTimes m =
        MatchTimes.of(
            rampFrom,
            rampFrom + d.minutes(20, 30),
            d.minutes(46, 49),
            15 * 60,
            d.minutes(47, 52),
            d.minutes(10, 15));
    double dip = d.between(0.25, 0.45);
    double lateGain = d.between(0, 0.08);
    double exitTo = d.between(0.1, 0.3);
    double exitIn = d.seconds(120, 240);
    Keyframes share =
        Keyframes.from(d.between(0.05, 0.1))
            .hold(m.rampFrom)
            .to(m.kickOff, 1.0, SMOOTH)
            .hold(m.halfTime)
            .to(m.halfTime + d.seconds(120, 240), 1 - dip)
            .hold(m.secondHalf - d.seconds(180, 300))
            .to(m.secondHalf, 1.0)
            .to(m.whistle, 1 + lateGain)
            .to(m.whistle + exitIn, (1 + lateGain) * exitTo)
            .to(m.whistle + exitIn + d.minutes(8, 12), d.between(0.02, 0.05));
    List<Double> goalTimes = new ArrayList<>();
    int goals = d.wholeBetween(0, 4);
    for (int i = 0; i < goals; i++) {
      goalTimes.add(d.chance(0.5) ? m.kickOff + d.minutes(2, 45) : m.secondHalf + d.minutes(2, 46));
    }
    goalTimes.sort(null);
    double burst = d.between(0.05, 0.12);
    DoubleUnaryOperator goal = goals(goalTimes, burst, d.seconds(180, 420));
    Map<String, DoubleUnaryOperator> curves = new LinkedHashMap<>();
    curves.put("IE", t -> ie * share.applyAsDouble(t) * (1 + goal.applyAsDouble(t)));
    curves.put("GB", t -> gb * share.applyAsDouble(t) * (1 + goal.applyAsDouble(t)));
    curves.put("DE", t -> de * share.applyAsDouble(t));
    return new Drawn(
        new Scenario(
            m.end,
            10,
            noisy(d, curves),
            60,
            matchStreams(d, m.kickOff - 15 * 60, m.whistle + 300),
            List.of()),
        String.format(
            Locale.ROOT,
            "IE %,.0f, GB %,.0f, DE %,.0f; kick-off %s, %d goal%s (+%.0f%%), halftime dip %.0f%%,"
                + " %.0f%% gone %.0f s after the whistle at %s",
            ie,
            gb,
            de,
            clock(m.kickOff),
            goals,
            goals == 1 ? "" : "s",
            100 * burst,
            100 * dip,
            100 * (1 - exitTo),
            exitIn,
            clock(m.whistle)));
  }

  private static Drawn diurnal(ScenarioDraw d) {
    int day = d.wholeBetween(0, 6);
    double startHour = d.between(16, 22);
    long startSecond = Math.round(startHour * 3_600);
    double offset = day * 86_400 + startSecond;
    double weekend = d.between(1.1, 1.4);
    double length = 2 * 3_600;
    DoubleUnaryOperator s = t -> diurnalShare(offset + t, weekend);
    Map<String, DoubleUnaryOperator> curves = new LinkedHashMap<>();
    double ie = 25_000 * d.between(0.7, 1.3);
    double gb = 15_000 * d.between(0.7, 1.3);
    double de = 6_000 * d.between(0.7, 1.3);
    curves.put("IE", t -> ie * s.applyAsDouble(t));
    curves.put("GB", t -> gb * s.applyAsDouble(t));
    curves.put("DE", t -> de * s.applyAsDouble(t));
    return new Drawn(
        new Scenario(length, 10, noisy(d, curves), 60, diurnalStreams(s), List.of()),
        String.format(
            Locale.ROOT,
            "%s from %02d:%02d; IE %,.0f, GB %,.0f, DE %,.0f at the daily peak; weekends x%.2f",
            List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun").get(day),
            startSecond / 3_600,
            startSecond / 60 % 60,
            ie,
            gb,
            de,
            weekend));
  }

  private static Drawn realTraceSpike(ScenarioDraw d) {
    RealViewerLogs.Log log = d.pick(RealViewerLogs.all());
    double length = Math.min(log.lengthSeconds(), Math.round(d.minutes(30, 50) / 10) * 10.0);
    double offset =
        Math.round(d.between(0, log.lengthSeconds() - length) / log.stepSeconds())
            * log.stepSeconds();
    List<String> markets = new ArrayList<>(ScenarioDraw.MARKETS);
    Collections.shuffle(markets, d.random());
    String spikedSource = d.pick(log.markets());
    double factor = d.between(3, 8);
    Map<String, DoubleUnaryOperator> real = new LinkedHashMap<>();
    List<String> words = new ArrayList<>();
    String spiked = null;
    int i = 0;
    for (String source : log.markets()) {
      String market = markets.get(i++);
      double scale = d.between(0.5, 1.5);
      if (source.equals(spikedSource)) {
        // The spike's peak stays within what one region and its neighbour's spare capacity carry.
        double peak = 0;
        for (double t = 0; t <= length; t += log.stepSeconds()) {
          peak = Math.max(peak, log.viewersAt(source, offset + t));
        }
        scale = Math.min(scale, 100_000 / (factor * Math.max(1, peak)));
        spiked = market;
      }
      double s = scale;
      real.put(market, t -> s * log.viewersAt(source, offset + t));
      words.add(String.format(Locale.ROOT, "%s from %s x%.2f", market, source, scale));
    }
    double at = d.minutes(5, length / 60 - 20);
    double rise = d.seconds(60, 180);
    Keyframes multiplier =
        Keyframes.from(1)
            .hold(at)
            .to(at + rise, factor, EXPONENTIAL)
            .hold(at + rise + d.minutes(5, 15))
            .to(at + rise + d.minutes(20, 25), 1);
    DoubleUnaryOperator plain = real.get(spiked);
    real.put(spiked, t -> plain.applyAsDouble(t) * multiplier.applyAsDouble(t));
    List<Curve> curves = new ArrayList<>();
    Map<String, DoubleUnaryOperator> synthetic = backgrounds(d, length);
    for (String m : ScenarioDraw.MARKETS) {
      curves.add(
          real.containsKey(m)
              ? new Curve(m, real.get(m))
              : new Curve(m, synthetic.get(m), d.noise()));
    }
    return new Drawn(
        new Scenario(
            length, log.stepSeconds(), curves, 60, streamsRising(d, spiked, at), List.of()),
        String.format(
            Locale.ROOT,
            "%s from %.0f min on; %s; %s x%.1f in %.0f s at %s",
            log.name(),
            offset / 60,
            String.join(", ", words),
            spiked,
            factor,
            rise,
            clock(at)));
  }

  private static Drawn streamSurge(ScenarioDraw d) {
    String m = d.market();
    String region = ScenarioDraw.homeRegion(m);
    double at = d.minutes(8, 15);
    double factor = d.between(3, 5);
    double hold = d.minutes(20, 30);
    double length = at + hold + d.minutes(10, 15);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    DoubleUnaryOperator audience = curves.get(m);
    double more = d.between(0.5, 2);
    Keyframes gain =
        Keyframes.from(1)
            .hold(at)
            .to(at + 300, 1 + more, SMOOTH)
            .hold(at + hold)
            .to(at + hold + 600, 1);
    curves.put(m, t -> audience.applyAsDouble(t) * gain.applyAsDouble(t));
    List<Curve> streams = new ArrayList<>();
    for (Curve c : steadyStreams(d)) {
      if (c.key().equals(region)) {
        double base = c.value().applyAsDouble(0);
        Keyframes surge =
            Keyframes.from(base)
                .hold(at)
                .to(at + 120, base * factor)
                .hold(at + hold)
                .to(at + hold + 300, base);
        streams.add(new Curve(region, surge));
      } else {
        streams.add(c);
      }
    }
    return new Drawn(
        new Scenario(length, 10, noisy(d, curves), 60, streams, List.of()),
        String.format(
            Locale.ROOT,
            "%s streams x%.1f within 2 min at %s for %.0f min; %s viewers +%.0f%%",
            region,
            factor,
            clock(at),
            hold / 60,
            m,
            100 * more));
  }

  private static Drawn gpuShortage(ScenarioDraw d) {
    int r = d.wholeBetween(0, ScenarioDraw.REGIONS.size() - 1);
    String region = ScenarioDraw.REGIONS.get(r);
    String m = ScenarioDraw.MARKETS.get(r); // the region's home market watches its streams
    double at = d.minutes(5, 12);
    double lasts = d.minutes(15, 30);
    int l4sLeft = d.wholeBetween(0, 2);
    boolean a10gsToo = d.chance(1.0 / 3);
    int a10gsLeft = d.wholeBetween(1, 3);
    double growFrom = at + d.minutes(-3, 5);
    double ramp = d.minutes(1, 4);
    double factor = d.between(2, 4);
    double settle = at + lasts + d.minutes(3, 10);
    double length = settle + d.minutes(8, 12);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    double level = d.between(10_000, 30_000);
    curves.put(m, Keyframes.from(level).to(length, level * d.between(0.9, 1.1)));
    List<Curve> streams = new ArrayList<>();
    double base = 0;
    for (Curve c : steadyStreams(d)) {
      if (c.key().equals(region)) {
        base = c.value().applyAsDouble(0);
        streams.add(
            new Curve(
                region,
                Keyframes.from(base)
                    .hold(growFrom)
                    .to(growFrom + ramp, Math.round(base * factor))
                    .hold(settle)
                    .to(settle + 300, base)));
      } else {
        streams.add(c);
      }
    }
    List<Scenario.ShortageChange> shortages = new ArrayList<>();
    String l4s = Trace.gpuGroup(region, "g6.2xlarge");
    shortages.add(new Scenario.ShortageChange(at, l4s, l4sLeft));
    shortages.add(new Scenario.ShortageChange(at + lasts, l4s, NO_SHORTAGE));
    String a10gs = "";
    if (a10gsToo) {
      String a10gGroup = Trace.gpuGroup(region, "g5.2xlarge");
      shortages.add(new Scenario.ShortageChange(at, a10gGroup, a10gsLeft));
      shortages.add(new Scenario.ShortageChange(at + lasts, a10gGroup, NO_SHORTAGE));
      a10gs = String.format(Locale.ROOT, " and A10Gs (%d left)", a10gsLeft);
    }
    return new Drawn(
        new Scenario(
            length, 10, noisy(d, curves), 60, streams, List.of(), List.of(), shortages, List.of()),
        String.format(
            Locale.ROOT,
            "%s out of L4s (%d left)%s from %s for %.0f min; its streams %.0f to %d within %.0f s"
                + " at %s; %s %,.0f viewers",
            region,
            l4sLeft,
            a10gs,
            clock(at),
            lasts / 60,
            base,
            Math.round(base * factor),
            ramp,
            clock(growFrom),
            m,
            level));
  }

  private static Drawn exodusReturn(ScenarioDraw d) {
    String m = d.market();
    double audience = d.between(40_000, 90_000);
    double at = d.minutes(10, 20);
    double left = d.between(0.05, 0.2);
    double fall = d.seconds(60, 180);
    double away = d.minutes(8, 20);
    double back = d.seconds(60, 120);
    double returns = d.between(0.8, 1.0);
    Keyframes curve =
        Keyframes.from(audience)
            .hold(at)
            .to(at + fall, audience * left)
            .hold(at + away)
            .to(at + away + back, audience * returns);
    double length = at + away + back + d.minutes(15, 20);
    return oneMarket(
        d,
        m,
        curve,
        length,
        String.format(
            Locale.ROOT,
            "%s %,.0f, %.0f%% gone in %.0f s at %s, %.0f%% back in %.0f s after %.0f min",
            m,
            audience,
            100 * (1 - left),
            fall,
            clock(at),
            100 * returns,
            back,
            away / 60));
  }

  private static Drawn botFlood(ScenarioDraw d) {
    String m = d.market();
    double level = d.between(5_000, 25_000);
    double at = d.minutes(10, 15);
    double ramp = d.seconds(10, 60);
    double lasts = d.minutes(5, 20);
    double factor = d.between(5, 50);
    double length = at + lasts + d.minutes(15, 25);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    Keyframes audience = Keyframes.from(level).to(length, level * d.between(0.9, 1.1));
    curves.put(m, audience);
    String rise = "no real rise";
    if (d.chance(0.5)) {
      double from = at + d.between(0, 0.6) * lasts;
      double more = d.between(0.15, 0.5);
      double over = d.minutes(2, 5);
      Keyframes gain = Keyframes.from(1).hold(from).to(from + over, 1 + more, SMOOTH);
      curves.put(m, t -> audience.applyAsDouble(t) * gain.applyAsDouble(t));
      rise =
          String.format(
              Locale.ROOT,
              "%s +%.0f%% real viewers over %.0f min from %s",
              m,
              100 * more,
              over / 60,
              clock(from));
    }
    double bots = level * factor;
    Keyframes flood =
        Keyframes.from(0).hold(at).to(at + ramp, bots).hold(at + lasts).jump(at + lasts, 0);
    return new Drawn(
        new Scenario(
            length,
            10,
            noisy(d, curves),
            60,
            steadyStreams(d),
            List.of(),
            List.of(new Curve(m, flood, d.between(0.02, 0.1))),
            List.of(),
            List.of()),
        String.format(
            Locale.ROOT,
            "%s %,.0f viewers; %,.0f bots (x%.0f) from %s in %.0f s, for %.0f min; %s",
            m,
            level,
            bots,
            factor,
            clock(at),
            ramp,
            lasts / 60,
            rise));
  }

  private static Drawn silentRelays(ScenarioDraw d) {
    return spikeWhileSilent(d, ScenarioDraw::homeRegion, () -> 1 - d.between(0.3, 0.7), true);
  }

  private static Drawn unheardRegion(ScenarioDraw d) {
    return spikeWhileSilent(d, ScenarioDraw::otherRegion, () -> 0, false);
  }

  /**
   * A viral spike in one market while {@code share} of the relays of its region {@code silent}
   * picks publish their counts, from 0-5 min before the spike to 10-30 min after; with {@code
   * maySecond}, on a third of seeds 20-50% of another region's relays are silent too.
   */
  private static Drawn spikeWhileSilent(
      ScenarioDraw d, Function<String, String> silent, DoubleSupplier share, boolean maySecond) {
    String m = d.market();
    Spike s = Spike.draw(d, 8);
    double at = s.at();
    double rise = s.rise();
    Keyframes spike = s.curve();
    double length = spike.lastTime() + d.minutes(3, 8);
    Map<String, DoubleUnaryOperator> curves = backgrounds(d, length);
    curves.put(m, spike);
    String region = silent.apply(m);
    double silentFrom = at - d.minutes(0, 5);
    double silentUntil = Math.min(length - 60, at + rise + d.minutes(10, 30));
    double publishes = share.getAsDouble();
    List<Scenario.PublishingChange> publishing = new ArrayList<>();
    publishing.add(new Scenario.PublishingChange(silentFrom, region, publishes));
    publishing.add(new Scenario.PublishingChange(silentUntil, region, 1));
    String second = "";
    if (maySecond && d.chance(1.0 / 3)) {
      String other = d.pick(ScenarioDraw.REGIONS.stream().filter(r -> !r.equals(region)).toList());
      double otherShare = 1 - d.between(0.2, 0.5);
      double from = silentFrom + d.minutes(0, 5);
      double until = Math.min(length - 60, from + d.minutes(10, 25));
      publishing.add(new Scenario.PublishingChange(from, other, otherShare));
      publishing.add(new Scenario.PublishingChange(until, other, 1));
      second =
          String.format(
              Locale.ROOT,
              "; %s %.0f%% silent from %s to %s",
              other,
              100 * (1 - otherShare),
              clock(from),
              clock(until));
    }
    return new Drawn(
        new Scenario(
            length,
            10,
            noisy(d, curves),
            60,
            streamsRising(d, m, at),
            List.of(),
            List.of(),
            List.of(),
            publishing),
        String.format(
            Locale.ROOT,
            "%s %,.0f to %,.0f in %.0f s at %s; %s %.0f%% of relays silent from %s to %s%s",
            m,
            s.base(),
            s.base() * s.factor(),
            rise,
            clock(at),
            region,
            100 * (1 - publishes),
            clock(silentFrom),
            clock(silentUntil),
            second));
  }

  // ---- pieces

  /** A match's clock, seconds from the trace's start. */
  private record MatchTimes(
      double rampFrom,
      double kickOff,
      double halfTime,
      double secondHalf,
      double whistle,
      double end) {
    static MatchTimes of(
        double rampFrom,
        double kickOff,
        double firstHalf,
        double halftime,
        double secondHalfLength,
        double tail) {
      double halfTime = kickOff + firstHalf;
      double secondHalf = halfTime + halftime;
      double whistle = secondHalf + secondHalfLength;
      return new MatchTimes(rampFrom, kickOff, halfTime, secondHalf, whistle, whistle + tail);
    }
  }

  /**
   * Goals: each sends a burst of {@code burst} more viewers (friends messaging friends) that
   * decays.
   */
  private static DoubleUnaryOperator goals(List<Double> at, double burst, double decaySeconds) {
    return t -> {
      double sum = 0;
      for (double g : at) {
        sum += t < g ? 0 : burst * Math.exp(-(t - g) / decaySeconds);
      }
      return sum;
    };
  }

  /**
   * The share of a market's daily peak watching at {@code weekSeconds} after Monday 00:00: a trough
   * near 04:00, a peak near 21:00, {@code weekendGain} on Saturday and Sunday.
   */
  static double diurnalShare(double weekSeconds, double weekendGain) {
    double hour = (weekSeconds / 3_600) % 24;
    int day = (int) (weekSeconds / 86_400);
    double weekend = day >= 5 ? weekendGain : 1.0;
    double daily = 0.5 - 0.5 * Math.cos(2 * Math.PI * ((hour - 4 + 24) % 24) / 24 * 0.6);
    double evening = Math.exp(-Math.pow((hour - 21) / 2.2, 2));
    return Math.min(1, 0.06 + 0.5 * daily + 0.5 * evening) * weekend;
  }

  private static List<Curve> diurnalStreams(DoubleUnaryOperator share) {
    return streams(
        t -> Math.round(4 + 16 * share.applyAsDouble(t)),
        t -> Math.round(3 + 9 * share.applyAsDouble(t)),
        t -> Math.round(2 + 4 * share.applyAsDouble(t)));
  }

  private static List<Curve> streams(
      DoubleUnaryOperator dublin, DoubleUnaryOperator london, DoubleUnaryOperator frankfurt) {
    return List.of(
        new Curve("eu-west-1", dublin),
        new Curve("eu-west-2", london),
        new Curve("eu-central-1", frankfurt));
  }

  /** Live streams that hold: 6-16 in Dublin, 4-10 in London, 2-6 in Frankfurt. */
  private static List<Curve> steadyStreams(ScenarioDraw d) {
    return streams(
        Keyframes.from(d.wholeBetween(6, 16)),
        Keyframes.from(d.wholeBetween(4, 10)),
        Keyframes.from(d.wholeBetween(2, 6)));
  }

  /**
   * Steady streams, and 4-12 more in the market's home region from {@code at} on (the event's own
   * studios).
   */
  private static List<Curve> streamsRising(ScenarioDraw d, String market, double at) {
    int more = d.wholeBetween(4, 12);
    String home = ScenarioDraw.homeRegion(market);
    return steadyStreams(d).stream()
        .map(
            c ->
                c.key().equals(home)
                    ? new Curve(
                        home,
                        Keyframes.from(c.value().applyAsDouble(0))
                            .jump(at, c.value().applyAsDouble(0) + more))
                    : c)
        .toList();
  }

  /** Streams of a match: many studios from {@code from} to {@code until}. */
  private static List<Curve> matchStreams(ScenarioDraw d, double from, double until) {
    return streams(
        Keyframes.from(d.wholeBetween(10, 14)).jump(from, d.wholeBetween(24, 36)).jump(until, 12),
        Keyframes.from(d.wholeBetween(6, 10)).jump(from, d.wholeBetween(12, 20)).jump(until, 8),
        Keyframes.from(d.wholeBetween(3, 5)));
  }

  /**
   * Every market's everyday audience, drifting by up to a fifth over the trace: IE 2k-8k, GB 1k-5k,
   * DE 0.5k-3k. Families replace the markets they shape.
   */
  /** The Irish region an incident family slows, drawn as Dublin or London at even odds. */
  /**
   * An edge incident that a surge follows: from 6-12 min in, +200-400 ms for 15-25 min (drawn in
   * that order).
   */
  private record Incident(double at, double extra, double lasts) {
    static Incident draw(ScenarioDraw d) {
      double at = d.minutes(6, 12);
      double extra = d.between(200, 400);
      return new Incident(at, extra, d.minutes(15, 25));
    }
  }

  private record IrishEdge(String region, String city) {
    static final IrishEdge DUBLIN = new IrishEdge("eu-west-1", "Dublin");
    static final IrishEdge LONDON = new IrishEdge("eu-west-2", "London");

    static IrishEdge draw(ScenarioDraw d) {
      return d.chance(0.5) ? DUBLIN : LONDON;
    }

    /** The other region serving Ireland. */
    IrishEdge other() {
      return equals(DUBLIN) ? LONDON : DUBLIN;
    }
  }

  private static Map<String, DoubleUnaryOperator> backgrounds(ScenarioDraw d, double length) {
    Map<String, DoubleUnaryOperator> out = new LinkedHashMap<>();
    double[][] ranges = {{2_000, 8_000}, {1_000, 5_000}, {500, 3_000}};
    for (int i = 0; i < ScenarioDraw.MARKETS.size(); i++) {
      double level = d.between(ranges[i][0], ranges[i][1]);
      out.put(
          ScenarioDraw.MARKETS.get(i),
          Keyframes.from(level).to(length, level * d.between(0.8, 1.2)));
    }
    return out;
  }

  /**
   * A scenario of {@code curves} with steady streams, whose {@code region}'s edge adds {@code
   * extra} ms from {@code at} for {@code lasts} seconds.
   */
  private static Scenario withIncident(
      ScenarioDraw d,
      double length,
      Map<String, DoubleUnaryOperator> curves,
      String region,
      double at,
      double lasts,
      double extra) {
    return withLatency(
        d,
        length,
        curves,
        List.of(
            new LatencyChange(at, region, Math.round(extra)),
            new LatencyChange(at + lasts, region, 0)));
  }

  /** Noisy curves, steady streams and the edge latency changes given. */
  private static Scenario withLatency(
      ScenarioDraw d,
      double length,
      Map<String, DoubleUnaryOperator> curves,
      List<LatencyChange> latency) {
    return new Scenario(length, 10, noisy(d, curves), 60, steadyStreams(d), latency);
  }

  /** One curve per market in {@link ScenarioDraw#MARKETS} order, each with its own drawn noise. */
  private static List<Curve> noisy(ScenarioDraw d, Map<String, DoubleUnaryOperator> curves) {
    List<Curve> out = new ArrayList<>();
    for (String m : ScenarioDraw.MARKETS) {
      if (curves.containsKey(m)) {
        out.add(new Curve(m, curves.get(m), d.noise()));
      }
    }
    return out;
  }

  private static List<String> others(String market) {
    return ScenarioDraw.MARKETS.stream().filter(m -> !m.equals(market)).toList();
  }

  /** {@code m:ss} or {@code h:mm:ss} from the start. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3_600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3_600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
