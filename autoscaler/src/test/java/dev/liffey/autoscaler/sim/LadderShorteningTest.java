package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.media.Ladder;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fifteen Dublin studios go live at once while EC2 has one L4 and no other GPU there for ten
 * minutes: on the full ladder ten streams fit, on 720/480/360 twenty-three. No stream should wait.
 */
class LadderShorteningTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();

  private static Trace trace() throws Exception {
    StringBuilder csv = new StringBuilder("t,kind,key,value\n");
    csv.append("0,viewers,IE,4000\n0,viewers,GB,3000\n0,viewers,DE,2000\n");
    csv.append("0,streams,eu-west-1,5\n0,streams,eu-west-2,3\n0,streams,eu-central-1,3\n");
    csv.append("0,shortage,eu-west-1/g6.2xlarge,1\n");
    csv.append("0,shortage,eu-west-1/g5.2xlarge,0\n0,shortage,eu-west-1/g4dn.2xlarge,0\n");
    csv.append("119,streams,eu-west-1,5\n120,streams,eu-west-1,20\n");
    csv.append("720,shortage,eu-west-1/g6.2xlarge,1000\n");
    csv.append("1800,viewers,IE,4000\n1800,streams,eu-west-1,20\n");
    return new TraceParser(CONFIG).parse("studios.csv", new StringReader(csv.toString()));
  }

  @Test
  void liffeyShortensLaddersSoNoStreamWaits_andGivesTheFullLadderBackOnceTheGpusCome()
      throws Exception {
    Simulation sim = new Simulation(CONFIG, trace(), Simulation.DEFAULT_START);
    List<LadderPlan> dublin = new ArrayList<>();
    Scorecard liffey =
        sim.run(
            () -> new LiffeyPolicy(CONFIG),
            (Decision d) ->
                d.ladders().stream()
                    .filter(p -> p.region().equals("eu-west-1"))
                    .forEach(dublin::add));
    Scorecard targetTracking = sim.run("target-tracking");

    assertThat(liffey.unservedStreamSeconds()).isZero();
    assertThat(liffey.unservedByCause().get("streamNotTranscoded")).isZero();
    // Ten minutes of ten streams shortened, at least.
    assertThat(liffey.degradedStreamSeconds()).isGreaterThan(10 * 600);
    // Without shortening, ten of the twenty wait until a GPU comes.
    assertThat(targetTracking.unservedStreamSeconds()).isGreaterThan(10 * 600);
    assertThat(targetTracking.degradedStreamSeconds()).isZero();

    assertThat(dublin).anyMatch(p -> !p.full() && p.waiting() == 0);
    assertThat(dublin.get(dublin.size() - 1).full()).isTrue();
    // Shortened once, then given back as GPUs arrive, never shortened again: no swapping back and
    // forth (a second GPU arriving before the third restores part of the ladders first).
    List<LadderPlan> changes = dublin.stream().filter(LadderPlan::changes).toList();
    assertThat(changes).hasSizeBetween(2, 3);
    assertThat(changes.get(0).full()).isFalse();
    for (int i = 1; i < changes.size(); i++) {
      assertThat(changes.get(i).on(Ladder.FULL))
          .as("streams on the full ladder never fall once it is given back")
          .isGreaterThan(changes.get(i - 1).on(Ladder.FULL));
    }
    assertThat(changes.get(changes.size() - 1).reason())
        .contains("every stream on the full ladder again");
  }
}
