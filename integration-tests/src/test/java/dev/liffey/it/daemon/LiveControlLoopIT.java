package dev.liffey.it.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.daemon.LiveControlLoop;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real control loop with the real AWS adapters, over HTTP against the emulator; the clock is
 * driven by the test so two minutes of calm take no two minutes.
 */
class LiveControlLoopIT extends EmulatorTest {
  @TempDir Path dir;
  private EmulatedEdge edge;
  private DynamoDbControlStore store;
  private Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @BeforeEach
  void deploy() throws Exception {
    edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);
    store = DynamoDbControlStore.of(edge.config, aws);
    store.createTableIfMissing();
  }

  private ControlLoop loop() {
    return LiveControlLoop.create(edge.config, aws, new NoKubernetes(), () -> now, false);
  }

  /** Irish viewers split 78/22 Dublin/London, British on London, German in Frankfurt. */
  private Map<String, Double> audience(double irish) {
    Map<String, Double> v = new HashMap<>();
    v.put("IE@eu-west-1", irish * 200 / 255);
    v.put("IE@eu-west-2", irish * 55 / 255);
    v.put("GB@eu-west-2", 8_000.0);
    v.put("DE@eu-central-1", 3_000.0);
    return v;
  }

  private Decision tickAt(
      ControlLoop loop, Map<String, Double> viewers, Map<String, Double> latency) {
    now = now.plusSeconds(10);
    edge.publish(now.minusSeconds(5), viewers, latency);
    return loop.tick();
  }

  @Test
  void aCrowdInTheMetricsScalesTheRelayGroupOut_andSizesItsWarmPool_recordingWhyFirst() {
    ControlLoop loop = loop();
    tickAt(loop, audience(2_000), Map.of());
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(4);

    Decision d = tickAt(loop, audience(20_000), Map.of());

    int desired = edge.relayDesired("eu-west-1");
    assertThat(desired)
        .isGreaterThanOrEqualTo((int) Math.ceil(20_000 * 200 / 255.0 / (1500 * 0.9)));
    assertThat(edge.relayWarmPool("eu-west-1")).isGreaterThanOrEqualTo(10);
    assertThat(d.reasons())
        .anyMatch(r -> r.startsWith("scale out relay eu-west-1 4→" + desired + ": forecast"));
    assertThat(store.history(now.minusSeconds(60), now))
        .anySatisfy(
            a -> {
              assertThat(a.why()).contains("scale out relay eu-west-1 4→" + desired);
              assertThat(a.before()).contains("relay eu-west-1=4");
              assertThat(a.after()).contains("relay eu-west-1=" + desired);
            });
  }

  @Test
  void dublinsLatencyMovesIrishWeightToLondon_andBackWhenItHasBeenCalm() {
    ControlLoop loop = loop();
    tickAt(loop, audience(15_000), Map.of());
    tickAt(loop, audience(15_000), Map.of()); // London sized for its share first

    for (int i = 0; i < 6; i++) {
      tickAt(loop, audience(15_000), Map.of("IE@eu-west-1", 199.0));
    }
    Map<String, Integer> shifted = edge.weights();
    assertThat(shifted.get("eu-west-1")).isLessThan(200);
    assertThat(shifted.get("eu-west-2")).isGreaterThan(55);

    for (int i = 0; i < 40; i++) {
      tickAt(loop, audience(15_000), Map.of("IE@eu-west-1", 20.0));
    }
    assertThat(edge.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 55));
  }

  @Test
  void anOnCallFloorIsRaisedTo_andAFreezeHoldsTheGroupDespiteTheCrowd() {
    store.put(
        new ControlState.CapacityFloor(
            "eu-west-2", "relay", 30, now.plusSeconds(3600), "final at 20:00", "alice"),
        0);
    store.put(
        new ControlState.Freeze(
            Optional.of("eu-west-1"),
            Optional.of("relay"),
            now.plusSeconds(3600),
            "bot flood",
            "bob"),
        0);
    ControlLoop loop = loop();

    Decision d = tickAt(loop, audience(40_000), Map.of());

    assertThat(edge.relayDesired("eu-west-2")).isEqualTo(30);
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(4);
    assertThat(d.fleets())
        .anyMatch(p -> p.reason().equals("hold relay eu-west-1 at 4: frozen by bob (bot flood)"));
  }

  @Test
  void aRestartKeepsTheAuditLog_andTheCoolDownOfItsLastScaleOut() {
    tickAt(loop(), audience(40_000), Map.of());
    int before = store.history(now.minusSeconds(3600), now).size();
    int peak = edge.relayDesired("eu-west-1");

    ControlLoop restarted = loop();
    // Relays' counts are summed per 10 s period, and a fall is read one period late (the newest
    // period may lack relays yet to publish): the second tick sees the crowd gone.
    tickAt(restarted, audience(1_000), Map.of());
    Decision d = tickAt(restarted, audience(1_000), Map.of());

    assertThat(before).isPositive();
    assertThat(store.history(now.minusSeconds(3600), now)).hasSizeGreaterThanOrEqualTo(before);
    assertThat(edge.relayDesired("eu-west-1")).isEqualTo(peak);
    assertThat(d.fleets())
        .anySatisfy(
            p ->
                assertThat(p.reason())
                    .startsWith("hold relay eu-west-1 at " + peak + ": scaled out at "));
  }
}
