package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.core.config.EdgeConfig;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A relay taken out keeps its viewers, billed, until they have left: the oracle, which knows the
 * demand, takes one out only when nothing needs it again before it would be empty.
 */
class OracleDrainTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final FleetId DUBLIN = FleetId.relay("eu-west-1");

  // 30,000 Irish viewers; a five-minute break at 20 min down to 10,000; at 50 min they leave for
  // good.
  private static final String TRACE =
      "t,kind,key,value\n0,viewers,IE,30000\n1200,viewers,IE,30000\n1230,viewers,IE,10000\n"
          + "1500,viewers,IE,10000\n1530,viewers,IE,30000\n3000,viewers,IE,30000\n"
          + "3060,viewers,IE,1000\n4800,viewers,IE,1000\n";

  private static List<Integer> dublinTargets(Trace trace, String policy, List<Double> cost) {
    List<Integer> out = new ArrayList<>();
    Simulation.Prepared p = FamilySeeds.prepared(CONFIG, trace, policy);
    while (p.hasNext()) {
      Decision d = p.tick();
      for (FleetPlan f : d.fleets()) {
        if (f.fleet().equals(DUBLIN)) {
          out.add(f.target());
        }
      }
    }
    cost.add(p.cloud().scorecard(policy).costUsd());
    return out;
  }

  @Test
  void theOracleKeepsRelaysThroughABreakTheyAreNeededAfter_andTakesThemOutWhenTheAudienceLeaves()
      throws Exception {
    Trace trace = new TraceParser(CONFIG).parse("break.csv", new StringReader(TRACE));
    List<Double> costs = new ArrayList<>();

    // Both at the target utilization: one knows what comes, the other only what is.
    List<Integer> oracle = dublinTargets(trace, "oracle-at-target", costs);
    List<Integer> reactive = dublinTargets(trace, "oracle-reactive", costs);

    int before = oracle.get(100); // 1000 s in: 30,000 viewers
    int inBreak = oracle.get(140); // 1400 s: 10,000 watching, 30,000 back at 1530 s
    int gone = oracle.get(420); // 4200 s: 1,000 left
    assertThat(inBreak).isEqualTo(before);
    assertThat(gone).isLessThan(before / 2);
    // Without foresight the break looks like the end: relays go, and the return pays for new ones
    // while the old still drain.
    assertThat(reactive.get(140)).isLessThan(before / 2);
    assertThat(costs.get(1)).isGreaterThan(costs.get(0));
  }
}
