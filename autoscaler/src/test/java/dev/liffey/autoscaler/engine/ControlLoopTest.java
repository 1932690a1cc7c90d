package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.sim.BundledTraces;
import dev.liffey.autoscaler.sim.InMemoryControlStore;
import dev.liffey.autoscaler.sim.SimulatedCloud;
import dev.liffey.autoscaler.sim.Simulation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlLoopTest {
  private final SimulatedCloud cloud;
  private final List<String> events = new ArrayList<>();

  ControlLoopTest() throws Exception {
    var config = TestConfigs.repository();
    cloud = new SimulatedCloud(config, BundledTraces.viralSpike(config), Simulation.DEFAULT_START);
  }

  /** A policy that always asks for 9 Dublin relays. */
  private final ScalingPolicy nineRelays = new ScalingPolicy() {
    @Override
    public String name() {
      return "nine";
    }

    @Override
    public Decision decide(Observation obs) {
      FleetState s = obs.fleets().get(FleetId.relay("eu-west-1"));
      return new Decision(obs.now(), "nine", List.of(new FleetPlan(s.id(), s.desired(), 9, s.warmPoolSize(),
          "scale out relay eu-west-1 " + s.desired() + "→9: test")), Optional.empty());
    }
  };

  private FleetActuator recording(FleetActuator inner) {
    return new FleetActuator() {
      @Override
      public List<FleetState> fleets() {
        return inner.fleets();
      }

      @Override
      public void setCapacity(FleetId fleet, int desired, int warmPoolSize) {
        events.add("act " + fleet + "=" + desired);
        inner.setCapacity(fleet, desired, warmPoolSize);
      }
    };
  }

  private ControlStore store(boolean fails) {
    InMemoryControlStore inner = new InMemoryControlStore(ControlState.EMPTY);
    return new ControlStore() {
      @Override
      public ControlState read() {
        return inner.read();
      }

      @Override
      public void audit(AuditRecord record) {
        if (fails) {
          throw new IllegalStateException("control table unreachable");
        }
        events.add("audit " + record.why() + " [" + record.before() + " -> " + record.after() + "]");
      }

      @Override
      public void recordActions(Decision acted) {
        events.add("remember " + acted.changes().size() + " change(s)");
      }
    };
  }

  private int dublinDesired() {
    return cloud.fleets().stream().filter(f -> f.id().equals(FleetId.relay("eu-west-1"))).findFirst().orElseThrow()
        .desired();
  }

  @Test
  void writesTheAuditRecordBeforeActing() {
    new ControlLoop(nineRelays, cloud, recording(cloud), cloud, cloud, store(false), cloud, false).tick();

    assertThat(events).containsExactly(
        "audit scale out relay eu-west-1 0→9: test [relay eu-west-1=0 -> relay eu-west-1=9]",
        "act relay eu-west-1=9",
        "remember 1 change(s)");
    assertThat(dublinDesired()).isEqualTo(9);
  }

  @Test
  void aDryRunDecidesAndRecordsButNeverActs() {
    Decision d = new ControlLoop(nineRelays, cloud, recording(cloud), cloud, cloud, store(false), cloud, true).tick();

    assertThat(d.changesAnything()).isTrue();
    assertThat(events).singleElement().asString().startsWith("audit");
    assertThat(dublinDesired()).isZero();
  }

  @Test
  void whenTheAuditRecordCannotBeWritten_nothingIsActedOn() {
    ControlLoop loop = new ControlLoop(nineRelays, cloud, recording(cloud), cloud, cloud, store(true), cloud, false);

    assertThatThrownBy(loop::tick).hasMessage("control table unreachable");
    assertThat(events).isEmpty();
    assertThat(dublinDesired()).isZero();
  }

  @Test
  void unchangedWeightsAreNeverWritten() {
    Map<String, Integer> before = cloud.weights();
    Instant now = cloud.now();
    cloud.setWeights(Map.copyOf(before));

    assertThat(cloud.scorecard("x").scalingActions()).isZero();
    assertThat(cloud.effectiveWeights(now.plusSeconds(600))).isEqualTo(before);
  }
}
