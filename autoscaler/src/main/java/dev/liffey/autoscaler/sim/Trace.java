package dev.liffey.autoscaler.sim;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * A replayable trace: for each kind and key, a step function of time (a value holds until the next
 * row of the same kind and key). Immutable and thread-safe.
 */
public final class Trace {
  private final String name;
  private final Map<TraceKind, Map<String, Series>> series;
  private final double lastRowSeconds;

  /** A market's mean session where the trace has no {@code session} row for it. */
  private final double defaultSessionSeconds;

  /** How widely a market's sessions spread where the trace has no {@code session_cv} row for it. */
  private final double defaultSessionCv;

  /**
   * The same series, for look-ups: a simulation asks for them every tick and the oracles for every
   * second of their horizons, and a sorted map's string comparisons were a quarter of the oracle's
   * time on the simulated week.
   */
  private final Map<TraceKind, Map<String, Series>> byKind = new EnumMap<>(TraceKind.class);

  /** The GPU shortages, by region and instance type (no key to build per look-up). */
  private final Map<String, Map<String, Series>> shortages = new HashMap<>();

  Trace(String name, Map<TraceKind, Map<String, Series>> series, double lastRowSeconds) {
    this(
        name, series, lastRowSeconds, SimulatedCloud.DEFAULT_SESSION_SECONDS, SessionLength.MIN_CV);
  }

  private Trace(
      String name,
      Map<TraceKind, Map<String, Series>> series,
      double lastRowSeconds,
      double defaultSessionSeconds,
      double defaultSessionCv) {
    this.name = name;
    this.series = series;
    this.lastRowSeconds = lastRowSeconds;
    this.defaultSessionSeconds = defaultSessionSeconds;
    this.defaultSessionCv = defaultSessionCv;
    series.forEach((kind, byKey) -> byKind.put(kind, new HashMap<>(byKey)));
    series
        .getOrDefault(TraceKind.SHORTAGE, Map.of())
        .forEach(
            (group, s) -> {
              int slash = group.indexOf('/');
              shortages
                  .computeIfAbsent(group.substring(0, slash), r -> new HashMap<>())
                  .put(group.substring(slash + 1), s);
            });
  }

  public String name() {
    return name;
  }

  /**
   * The same trace with {@code mean} as the session length of every market it sets none for (its
   * own {@code session} rows still hold): how a trace's audience is replayed with viewers who watch
   * for longer or shorter than {@link SimulatedCloud#DEFAULT_SESSION}.
   *
   * @throws IllegalArgumentException unless {@code mean} is positive
   */
  public Trace withDefaultSession(Duration mean) {
    return new Trace(
        name, series, lastRowSeconds, requireSession(mean).toMillis() / 1000.0, defaultSessionCv);
  }

  /**
   * The same trace with {@code cv} as the spread of session lengths (their coefficient of
   * variation) of every market it sets none for (its own {@code session_cv} rows still hold): how a
   * trace's audience is replayed with a few viewers who stay for hours among many who zap past.
   *
   * @throws IllegalArgumentException unless {@code cv} is {@value SessionLength#MIN_CV} to {@value
   *     SessionLength#MAX_CV}
   */
  public Trace withSessionCv(double cv) {
    return new Trace(
        name, series, lastRowSeconds, defaultSessionSeconds, SessionLength.requireCv(cv));
  }

  /** Whether bots try to join any market at any time of the trace. */
  public boolean hasBots() {
    for (Series s : byKind.getOrDefault(TraceKind.BOTS, Map.of()).values()) {
      for (double v : s.values) {
        if (v > 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The same trace without its {@code bots} rows: what a policy would have done had no bot come,
   * against which the capacity it bought for them is counted.
   */
  public Trace withoutBots() {
    Map<TraceKind, Map<String, Series>> without = new TreeMap<>(series);
    without.remove(TraceKind.BOTS);
    return new Trace(name, without, lastRowSeconds, defaultSessionSeconds, defaultSessionCv);
  }

  /**
   * {@code mean}, if a mean session: positive.
   *
   * @throws IllegalArgumentException otherwise
   */
  static Duration requireSession(Duration mean) {
    if (mean.isNegative() || mean.isZero()) {
      throw new IllegalArgumentException("a mean session must be positive, got " + mean);
    }
    return mean;
  }

  /** From the start to the last row. */
  public Duration length() {
    return Duration.ofMillis(Math.round(lastRowSeconds * 1000));
  }

  public Set<String> keys(TraceKind kind) {
    return series.getOrDefault(kind, Map.of()).keySet();
  }

  /**
   * A market's mean session length at {@code seconds} from the start: the trace's, else its default
   * ({@link SimulatedCloud#DEFAULT_SESSION} unless {@link #withDefaultSession} set one).
   */
  public double sessionSeconds(String market, double seconds) {
    double traced = valueAt(TraceKind.SESSION, market, seconds);
    return traced > 0 ? traced : defaultSessionSeconds;
  }

  /**
   * How long a market's viewers watch at {@code seconds} from the start: its mean ({@link
   * #sessionSeconds}) and spread, the trace's {@code session_cv} else its default (exponential
   * unless {@link #withSessionCv} set one).
   */
  public SessionLength session(String market, double seconds) {
    double traced = valueAt(TraceKind.SESSION_CV, market, seconds);
    return new SessionLength(
        sessionSeconds(market, seconds), traced > 0 ? traced : defaultSessionCv);
  }

  /** The value in force at {@code seconds} from the start; 0 before the key's first row. */
  public double valueAt(TraceKind kind, String key, double seconds) {
    Series s = byKind.getOrDefault(kind, Map.of()).get(key);
    return s == null ? 0 : s.at(seconds);
  }

  /**
   * The value in force at {@code seconds} from the start; empty before the key's first row, for a
   * kind whose absence means something other than 0 (no shortage is not a shortage of 0).
   */
  public OptionalDouble setAt(TraceKind kind, String key, double seconds) {
    return setAt(byKind.getOrDefault(kind, Map.of()).get(key), seconds);
  }

  private static OptionalDouble setAt(Series s, double seconds) {
    return s == null || s.times[0] > seconds
        ? OptionalDouble.empty()
        : OptionalDouble.of(s.at(seconds));
  }

  /** A GPU group's key in {@link TraceKind#SHORTAGE} rows: {@code region/instance-type}. */
  static String gpuGroup(String region, String instanceType) {
    return region + "/" + instanceType;
  }

  /**
   * How many instances of {@code instanceType} EC2 can run in {@code region} at {@code seconds}:
   * the shortage in force, {@link Integer#MAX_VALUE} where none is.
   */
  public int gpuAvailable(String region, String instanceType, double seconds) {
    Map<String, Series> inRegion = shortages.get(region);
    return inRegion == null
        ? Integer.MAX_VALUE
        : (int) setAt(inRegion.get(instanceType), seconds).orElse(Integer.MAX_VALUE);
  }

  /** The largest value of the key between two times, inclusive. */
  public double maxBetween(TraceKind kind, String key, double fromSeconds, double toSeconds) {
    Series s = byKind.getOrDefault(kind, Map.of()).get(key);
    return s == null ? 0 : s.maxBetween(fromSeconds, toSeconds);
  }

  /** One key's rows, as parallel arrays sorted by time. */
  static final class Series {
    final double[] times;
    final double[] values;

    Series(double[] times, double[] values) {
      this.times = times;
      this.values = values;
    }

    double at(double t) {
      int i = Arrays.binarySearch(times, t);
      if (i < 0) {
        i = -i - 2;
      } else {
        while (i + 1 < times.length && times[i + 1] == t) {
          i++; // several rows at the same time: the last wins
        }
      }
      return i < 0 ? 0 : values[i];
    }

    double maxBetween(double from, double to) {
      double max = at(from);
      int i = Arrays.binarySearch(times, from);
      i = i < 0 ? -i - 1 : i;
      for (; i < times.length && times[i] <= to; i++) {
        max = Math.max(max, values[i]);
      }
      return max;
    }
  }

  /** Collects rows in order, then freezes them. */
  static final class Builder {
    private final Map<TraceKind, Map<String, double[][]>> rows = new TreeMap<>();
    private final Map<TraceKind, Map<String, Integer>> counts = new TreeMap<>();
    private double last;

    void add(TraceKind kind, String key, double t, double value) {
      var byKey = rows.computeIfAbsent(kind, k -> new TreeMap<>());
      var n = counts.computeIfAbsent(kind, k -> new TreeMap<>());
      double[][] arr =
          byKey.computeIfAbsent(key, k -> new double[][] {new double[16], new double[16]});
      int i = n.getOrDefault(key, 0);
      if (i == arr[0].length) {
        arr[0] = Arrays.copyOf(arr[0], i * 2);
        arr[1] = Arrays.copyOf(arr[1], i * 2);
      }
      arr[0][i] = t;
      arr[1][i] = value;
      n.put(key, i + 1);
      last = Math.max(last, t);
    }

    Trace build(String name) {
      Map<TraceKind, Map<String, Series>> out = new TreeMap<>();
      rows.forEach(
          (kind, byKey) ->
              byKey.forEach(
                  (key, arr) -> {
                    int n = counts.get(kind).get(key);
                    out.computeIfAbsent(kind, k -> new TreeMap<>())
                        .put(key, new Series(Arrays.copyOf(arr[0], n), Arrays.copyOf(arr[1], n)));
                  }));
      return new Trace(name, out, last);
    }
  }
}
