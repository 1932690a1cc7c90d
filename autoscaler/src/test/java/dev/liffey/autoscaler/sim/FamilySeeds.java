package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;

/** One seed of a suite family, scored as the suite scores it. */
final class FamilySeeds {
  private FamilySeeds() {}

  static Scorecard score(EdgeConfig config, String family, long seed, String policy)
      throws Exception {
    ScenarioFamilies.Generated g = ScenarioFamilies.generate(family, seed);
    Trace trace = new TraceParser(config).parse(family, new StringReader(g.csv()));
    return new Simulation(config, trace, Simulation.DEFAULT_START).run(policy);
  }
}
