package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;

/** One seed of a suite family, scored as the suite scores it. */
final class FamilySeeds {
  private FamilySeeds() {}

  static Scorecard score(EdgeConfig config, String family, long seed, String policy)
      throws Exception {
    return new Simulation(config, trace(config, family, seed), Simulation.DEFAULT_START)
        .run(policy);
  }

  /** A family's seed, parsed as the suite parses it. */
  static Trace trace(EdgeConfig config, String family, long seed) throws Exception {
    ScenarioFamilies.Generated g = ScenarioFamilies.generate(family, seed);
    return new TraceParser(config).parse(family, new StringReader(g.csv()));
  }

  /** The cloud a policy leaves at the end of a family's seed: its cost by fleet kind, say. */
  static SimulatedCloud ran(EdgeConfig config, String family, long seed, String policy)
      throws Exception {
    Simulation.Prepared p = prepared(config, trace(config, family, seed), policy);
    while (p.hasNext()) {
      p.tick();
    }
    return p.cloud();
  }

  /** A policy ready to run on a trace, tick by tick, with fixed routing for the baselines. */
  static Simulation.Prepared prepared(EdgeConfig config, Trace trace, String policy) {
    return new Simulation(config, trace, Simulation.DEFAULT_START)
        .prepare(
            () ->
                Policies.create(
                    policy,
                    config,
                    new TraceDemand(trace, Simulation.DEFAULT_START),
                    BaselineRouting.FIXED));
  }
}
