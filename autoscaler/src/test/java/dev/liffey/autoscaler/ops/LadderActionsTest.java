package dev.liffey.autoscaler.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.sim.InMemoryControlStore;
import dev.liffey.autoscaler.sim.SimulatedCloud;
import dev.liffey.autoscaler.sim.Simulation;
import dev.liffey.autoscaler.sim.TraceParser;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.media.Ladder;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On-call's ladder orders against the simulated cloud with the autoscaler ticking beside them:
 * twenty Dublin studios live from the second minute while EC2 has one L4 there (ten full-ladder
 * slots) until the tenth.
 */
class LadderActionsTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();
  private static final String DUBLIN = "eu-west-1";

  private Simulation.Prepared sim;
  private SimulatedCloud cloud;
  private InMemoryControlStore store;

  @BeforeEach
  void studiosOnOneL4() throws Exception {
    StringBuilder csv = new StringBuilder("t,kind,key,value\n");
    csv.append("0,viewers,IE,4000\n0,viewers,GB,3000\n0,viewers,DE,2000\n");
    csv.append("0,streams,eu-west-1,5\n0,streams,eu-west-2,3\n0,streams,eu-central-1,3\n");
    csv.append("0,shortage,eu-west-1/g6.2xlarge,1\n");
    csv.append("0,shortage,eu-west-1/g5.2xlarge,0\n0,shortage,eu-west-1/g4dn.2xlarge,0\n");
    csv.append("119,streams,eu-west-1,5\n120,streams,eu-west-1,20\n");
    csv.append("600,shortage,eu-west-1/g6.2xlarge,1000\n");
    csv.append("3600,viewers,IE,4000\n3600,streams,eu-west-1,20\n");
    var trace = new TraceParser(CONFIG).parse("studios.csv", new StringReader(csv.toString()));
    sim =
        new Simulation(CONFIG, trace, Simulation.DEFAULT_START)
            .prepare(() -> new LiffeyPolicy(CONFIG));
    cloud = sim.cloud();
    store = sim.controlStore();
  }

  private LadderActions ladders(String who) {
    return new LadderActions(
        new ChangeDesk(store, () -> who, cloud, change -> true, false, who + "'s reason"));
  }

  private void runFor(Duration d) {
    Instant until = cloud.now().plus(d);
    while (cloud.now().isBefore(until)) {
      sim.tick();
    }
  }

  private LadderPlan dublin() {
    return store.read().ladders().get(DUBLIN).plan();
  }

  @Test
  void forcingTheFullLadder_makesStreamsWaitAsOnCallChose_andReleasingShortensThemAgain() {
    runFor(Duration.ofMinutes(4));
    assertThat(dublin().full()).as("one L4 for twenty streams: shortened").isFalse();
    assertThat(dublin().waiting()).isZero();

    Outcome forced = ladders("dave").force(DUBLIN, Ladder.FULL, Duration.ofMinutes(3));
    assertThat(((Outcome.Applied) forced).notes())
        .singleElement()
        .asString()
        .contains("10 streams of eu-west-1 will wait for a slot on 1080/720/480/360");
    double waitedBefore = sim.scorecard().unservedStreamSeconds();
    runFor(Duration.ofMinutes(1));

    assertThat(dublin().on(Ladder.FULL)).isEqualTo(10);
    assertThat(dublin().waiting()).isEqualTo(10);
    assertThat(dublin().reason()).contains("forced by dave until").contains("(dave's reason)");
    assertThat(sim.scorecard().unservedStreamSeconds() - waitedBefore)
        .as("ten streams wait a minute, as on-call chose")
        .isGreaterThanOrEqualTo(10 * 50);

    ladders("dave").release(DUBLIN);
    runFor(Duration.ofSeconds(20));
    assertThat(dublin().waiting()).isZero();
    assertThat(dublin().full()).isFalse();
    assertThat(store.auditLog())
        .extracting(AuditRecord::what)
        .containsSubsequence("scale", "ladder", "scale", "ladder", "scale");
  }

  @Test
  void aHoldKeepsTheShortenedLadders_afterTheGpusCome_untilItEnds() {
    runFor(Duration.ofMinutes(4));
    LadderPlan shortened = dublin();
    assertThat(shortened.full()).isFalse();
    ladders("erin").hold(DUBLIN, Duration.ofMinutes(15));

    runFor(Duration.ofMinutes(12)); // L4s came at 10 min: the autoscaler would restore
    assertThat(dublin().byLadder()).isEqualTo(shortened.byLadder());
    assertThat(sim.tick().ladders())
        .filteredOn(p -> p.region().equals(DUBLIN))
        .singleElement()
        .extracting(LadderPlan::reason)
        .asString()
        .contains("held by erin")
        .contains("unheld: every stream on the full ladder");
    assertThat(store.read().entries())
        .filteredOn(ControlState.LadderOrder.class::isInstance)
        .singleElement()
        .asString()
        .contains("erin");

    runFor(Duration.ofMinutes(5)); // the hold has ended
    assertThat(dublin().full()).isTrue();
  }

  @Test
  void everyOrderEnds_andReleasingNothingIsRefusedWithWhereToLook() {
    assertThatThrownBy(() -> ladders("dave").hold(DUBLIN, Duration.ofHours(25)))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("at most 24h");
    assertThatThrownBy(() -> ladders("dave").release(DUBLIN))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("no ladder order on eu-west-1")
        .hasMessageContaining("liffey status");
    assertThat(store.read().ladderOrders()).isEmpty();
  }
}
