package dev.liffey.autoscaler.sim;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * Makes synthetic traces in the trace format, deterministically from a seed. Scenarios:
 * <ul>
 *   <li>{@code viral-spike}: Irish viewers 100 to 10,000 in two minutes, a plateau, a slow fade;
 *   <li>{@code match}: a build-up to kick-off, halftime dip, a fast exit at the final whistle;
 *   <li>{@code diurnal-week}: seven days of evening peaks and night troughs, busier weekends;
 *   <li>{@code dublin-latency-incident}: a steady audience while Dublin's edge adds 180 ms for an hour.
 * </ul>
 */
public final class TraceGenerator {
  public static final List<String> SCENARIOS =
      List.of("viral-spike", "match", "diurnal-week", "dublin-latency-incident");

  private final Random random;
  private final StringBuilder csv = new StringBuilder(TraceParser.HEADER).append('\n');

  private TraceGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** {@code TraceGenerator SCENARIO [SEED]}: writes the trace to standard output. */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: TraceGenerator " + String.join("|", SCENARIOS) + " [seed]");
      System.exit(2);
    }
    System.out.print(generate(args[0], args.length == 2 ? Long.parseLong(args[1]) : 1L));
  }

  public static String generate(String scenario, long seed) {
    TraceGenerator g = new TraceGenerator(seed);
    switch (scenario) {
      case "viral-spike" -> g.viralSpike();
      case "match" -> g.match();
      case "diurnal-week" -> g.diurnalWeek();
      case "dublin-latency-incident" -> g.latencyIncident();
      default -> throw new IllegalArgumentException(
          "unknown scenario '" + scenario + "': use one of " + String.join(", ", SCENARIOS));
    }
    return g.csv.toString();
  }

  private void viralSpike() {
    double spikeAt = 600;
    DoubleUnaryOperator ie = t -> {
      if (t < spikeAt) {
        return 100;
      }
      if (t < spikeAt + 120) {
        return 100 * Math.pow(100, (t - spikeAt) / 120); // x100 in two minutes
      }
      if (t < spikeAt + 120 + 900) {
        return 10_000;
      }
      return Math.max(1_500, 10_000 - (t - spikeAt - 1_020) * 8.5); // fades over ~17 minutes
    };
    for (double t = 0; t <= 2_700; t += 10) {
      viewers(t, "IE", ie.applyAsDouble(t), 0.02);
      viewers(t, "GB", 60 + (t > spikeAt + 60 ? 900 : 0), 0.03);
      viewers(t, "DE", 40, 0.03);
      if (t % 60 == 0) {
        streams(t, "eu-west-1", t >= spikeAt ? 14 : 6);
        streams(t, "eu-west-2", 4);
        streams(t, "eu-central-1", 3);
      }
    }
  }

  private void match() {
    double kickOff = 45 * 60;
    double halfTime = kickOff + 47 * 60;
    double secondHalf = halfTime + 15 * 60;
    double whistle = secondHalf + 48 * 60;
    DoubleUnaryOperator shape = t -> {
      if (t < 20 * 60) {
        return 0.07;
      }
      if (t < kickOff) {
        double x = (t - 20 * 60) / (kickOff - 20 * 60);
        return 0.07 + 0.93 * x * x * (3 - 2 * x); // smooth build-up to kick-off
      }
      if (t < halfTime) {
        return 1.0;
      }
      if (t < secondHalf) {
        // Viewers drift away over the first three minutes of the break and come back in the last four.
        double in = t - halfTime;
        double left = secondHalf - t;
        return 1.0 - 0.35 * Math.min(1, Math.min(in / 180, left / 240));
      }
      if (t < whistle) {
        return 1.0 + 0.05 * (t - secondHalf) / (whistle - secondHalf);
      }
      double after = t - whistle;
      return after < 180 ? 1.05 - 0.85 * after / 180 : Math.max(0.03, 0.2 - (after - 180) / 600 * 0.17);
    };
    for (double t = 0; t <= whistle + 15 * 60; t += 10) {
      double s = shape.applyAsDouble(t);
      double goal = goalBurst(t, kickOff + 23 * 60) + goalBurst(t, secondHalf + 31 * 60);
      viewers(t, "IE", 60_000 * s * (1 + goal), 0.01);
      viewers(t, "GB", 20_000 * s * (1 + goal), 0.01);
      viewers(t, "DE", 3_000 * s, 0.02);
      if (t % 60 == 0) {
        streams(t, "eu-west-1", t >= 30 * 60 && t < whistle + 300 ? 30 : 12);
        streams(t, "eu-west-2", t >= 30 * 60 && t < whistle + 300 ? 16 : 8);
        streams(t, "eu-central-1", 4);
      }
    }
  }

  /** A goal: viewers message friends, a burst of 8% that fades over five minutes. */
  private static double goalBurst(double t, double at) {
    return t < at ? 0 : 0.08 * Math.exp(-(t - at) / 300);
  }

  private void diurnalWeek() {
    for (double t = 0; t <= 7 * 86_400; t += 60) {
      double hour = (t / 3_600) % 24;
      int day = (int) (t / 86_400); // day 0 is a Monday
      double weekend = day >= 5 ? 1.3 : 1.0;
      // Night trough near 04:00, evening peak near 21:00.
      double daily = 0.5 - 0.5 * Math.cos(2 * Math.PI * ((hour - 4 + 24) % 24) / 24 * 0.6);
      double evening = Math.exp(-Math.pow((hour - 21) / 2.2, 2));
      double s = Math.min(1, 0.06 + 0.5 * daily + 0.5 * evening) * weekend;
      viewers(t, "IE", 25_000 * s, 0.02);
      viewers(t, "GB", 15_000 * s, 0.02);
      viewers(t, "DE", 6_000 * s, 0.02);
      if (t % 600 == 0) {
        streams(t, "eu-west-1", Math.round(4 + 16 * s));
        streams(t, "eu-west-2", Math.round(3 + 9 * s));
        streams(t, "eu-central-1", Math.round(2 + 4 * s));
      }
    }
  }

  private void latencyIncident() {
    for (double t = 0; t <= 2 * 3_600; t += 10) {
      viewers(t, "IE", 20_000, 0.02);
      viewers(t, "GB", 8_000, 0.02);
      viewers(t, "DE", 3_000, 0.02);
      if (t % 60 == 0) {
        streams(t, "eu-west-1", 10);
        streams(t, "eu-west-2", 6);
        streams(t, "eu-central-1", 3);
      }
      if (t == 30 * 60) {
        row(t, "latency", "eu-west-1", 180);
      }
      if (t == 90 * 60) {
        row(t, "latency", "eu-west-1", 0);
      }
    }
  }

  private void viewers(double t, String market, double value, double noise) {
    row(t, "viewers", market, Math.max(0, Math.round(value * (1 + noise * random.nextGaussian()))));
  }

  private void streams(double t, String region, double value) {
    row(t, "streams", region, value);
  }

  private void row(double t, String kind, String key, double value) {
    csv.append(String.format(Locale.ROOT, "%d,%s,%s,%d\n", (long) t, kind, key, (long) value));
  }
}
