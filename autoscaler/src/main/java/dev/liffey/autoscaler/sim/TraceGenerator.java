package dev.liffey.autoscaler.sim;

import java.util.List;
import java.util.Random;

/**
 * Makes synthetic traces in the trace format, deterministically from a seed. The bundled scenarios
 * are the reference instances of four of the suite's {@link ScenarioFamilies} (the seed draws only
 * their noise):
 *
 * <ul>
 *   <li>{@code viral-spike}: Irish viewers 100 to 10,000 in two minutes, a plateau, a slow fade;
 *   <li>{@code match}: a build-up to kick-off, halftime dip, a fast exit at the final whistle;
 *   <li>{@code diurnal-week}: seven days of evening peaks and night troughs, busier weekends;
 *   <li>{@code dublin-latency-incident}: a steady audience while Dublin's edge adds 180 ms for an
 *       hour.
 * </ul>
 *
 * {@code --family NAME SEED} writes one of the suite's traces instead (every parameter drawn from
 * the seed).
 */
public final class TraceGenerator {
  public static final List<String> SCENARIOS =
      List.of("viral-spike", "match", "diurnal-week", "dublin-latency-incident");

  private TraceGenerator() {}

  /**
   * {@code TraceGenerator SCENARIO [SEED]} or {@code TraceGenerator --family FAMILY SEED}: the
   * trace, to standard output.
   */
  public static void main(String[] args) {
    if (args.length == 3
        && args[0].equals("--family")
        && ScenarioFamilies.names().contains(args[1])) {
      System.out.print(ScenarioFamilies.generate(args[1], Long.parseLong(args[2])).csv());
    } else if ((args.length == 1 || args.length == 2) && SCENARIOS.contains(args[0])) {
      System.out.print(generate(args[0], args.length == 2 ? Long.parseLong(args[1]) : 1L));
    } else {
      System.err.println(
          "usage: TraceGenerator "
              + String.join("|", SCENARIOS)
              + " [seed]\n"
              + "       TraceGenerator --family "
              + String.join("|", ScenarioFamilies.names())
              + " seed");
      System.exit(2);
    }
  }

  public static String generate(String scenario, long seed) {
    Scenario s =
        switch (scenario) {
          case "viral-spike" -> ScenarioFamilies.viralSpikeReference();
          case "match" -> ScenarioFamilies.matchReference();
          case "diurnal-week" -> ScenarioFamilies.diurnalWeekReference();
          case "dublin-latency-incident" -> ScenarioFamilies.dublinLatencyReference();
          default ->
              throw new IllegalArgumentException(
                  "unknown scenario '"
                      + scenario
                      + "': use one of "
                      + String.join(", ", SCENARIOS));
        };
    return s.csv(new Random(seed), "");
  }
}
