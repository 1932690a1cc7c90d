package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a simulated Auto Scaling group bills, as EC2 bills it. */
class SimFleetTest {
  private static final Instant T0 = Instant.parse("2026-12-01T18:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  // A relay: $0.50 an hour running, $0.01 stopped; 90 s cold boot; a pool of 2.
  private static final FleetSpec RELAY =
      new FleetSpec(
          FleetId.relay("eu-west-1"),
          1500,
          0,
          20,
          2,
          Duration.ofSeconds(90),
          Duration.ofSeconds(30),
          0.50,
          0.01,
          0);

  @Test
  void instancesRefillingTheWarmPoolAreBilledRunning_untilTheyStop() {
    SimFleet f = new SimFleet(RELAY, Duration.ZERO, 0, null);
    f.startWith(4);
    f.setCapacity(6, 2, T0); // the two warm instances start; the pool refills from cold
    f.advance(T0);

    // 4 in service + 2 resuming + 2 launching to refill the pool, all running: 8 x $0.50.
    assertThat(f.costUsd(HOUR)).isCloseTo(8 * 0.50, within(1e-9));

    f.advance(T0.plusSeconds(90)); // resumed and refilled: 6 running, 2 stopped
    assertThat(f.costUsd(HOUR)).isCloseTo(6 * 0.50 + 2 * 0.01, within(1e-9));
  }

  @Test
  void aShortageIsReportedForThreeMinutesAfterEc2LastRefusedALaunch_asTheActuatorRemembersIt() {
    SimFleet f = new SimFleet(RELAY, Duration.ZERO, 0, null);
    f.startWith(1);
    f.available(1);
    f.setCapacity(3, 0, T0); // EC2 refuses both launches
    assertThat(f.state().capacityShortage()).isTrue();

    // The plan gives the type up: the group no longer misses an instance, but the refusal is
    // remembered, so the next type keeps the demand instead of handing it back at once.
    f.setCapacity(1, 0, T0.plusSeconds(10));
    f.advance(T0.plusSeconds(10));
    assertThat(f.state().capacityShortage()).isTrue();
    f.advance(T0.plusSeconds(170));
    assertThat(f.state().capacityShortage()).isTrue();

    f.advance(T0.plusSeconds(180));
    assertThat(f.state().capacityShortage()).isFalse();
  }

  @Test
  void inAShortageTheWarmPoolIsNotRefilled_forEc2RefusesTheLaunchesThatWouldRefillIt() {
    SimFleet f = new SimFleet(RELAY, Duration.ZERO, 0, null);
    f.startWith(3);
    f.available(4);
    f.setCapacity(5, 2, T0); // both warm instances resume; EC2 runs one of them at most
    f.advance(T0);

    // 3 in service and 1 resuming run; the other resume and both refills are refused: nothing
    // else is billed running (the pool's one stopped instance costs its volume).
    assertThat(f.state().pending()).isEqualTo(1);
    assertThat(f.costUsd(HOUR)).isCloseTo(4 * 0.50 + 1 * 0.01, within(1e-9));
  }

  @Test
  void aLaunchCancelledWithinItsFirstMinute_isBilledTheMinute_asEc2BillsLinuxInstances() {
    SimFleet f = new SimFleet(RELAY, Duration.ZERO, 0, null);
    f.startWith(4);
    f.setCapacity(8, 0, T0); // 2 resume from the pool, 2 launch cold
    f.setCapacity(4, 0, T0.plusSeconds(20)); // cancelled 20 s in

    // The 4 in service for 10 s, and the 4 cancelled launches' other 40 s of their first minute.
    double tenSeconds = 10 / 3600.0;
    double owed = 4 * 40 / 3600.0 * 0.50;
    assertThat(f.costUsd(Duration.ofSeconds(10)))
        .isCloseTo(4 * 0.50 * tenSeconds + owed, within(1e-9));
    assertThat(f.costUsd(Duration.ofSeconds(10)))
        .as("owed once")
        .isCloseTo(4 * 0.50 * tenSeconds, within(1e-9));

    f.setCapacity(6, 0, T0.plusSeconds(30));
    f.setCapacity(4, 0, T0.plusSeconds(100)); // cancelled after 70 s: nothing more owed
    assertThat(f.costUsd(Duration.ofSeconds(10))).isCloseTo(4 * 0.50 * tenSeconds, within(1e-9));
  }

  @Test
  void aResumeCancelled_stopsBackIntoThePool_andNoRefillIsLaunchedForIt() {
    SimFleet f = new SimFleet(RELAY, Duration.ZERO, 0, null);
    f.startWith(4);
    f.setCapacity(6, 2, T0); // the two warm instances resume
    f.setCapacity(4, 2, T0.plusSeconds(20)); // cancelled: they stop again
    f.advance(T0.plusSeconds(20));

    assertThat(f.state().warm()).isEqualTo(2);
    // 4 running and 2 stopped; nothing initialising to refill the pool (plus the resumes' minute).
    double owed = 2 * 40 / 3600.0 * 0.50;
    assertThat(f.costUsd(HOUR)).isCloseTo(4 * 0.50 + 2 * 0.01 + owed, within(1e-9));
  }

  @Test
  void aRelayTakenOutKeepsItsViewersAndIsBilledRunningUntilItsTimeout_thenCutsWhoIsLeft() {
    SimFleet f = new SimFleet(RELAY, Duration.ofMinutes(5), 0, null);
    f.startWith(6);
    f.settle(6 * 900, 1, 900);
    f.setCapacity(4, 2, T0); // two taken out, 900 viewers on each

    assertThat(f.state().inService()).isEqualTo(4);
    assertThat(f.holding()).isEqualTo(6);
    assertThat(f.drainingViewers()).isCloseTo(1800, within(1e-9));
    assertThat(f.costUsd(HOUR)).isCloseTo(6 * 0.50 + 2 * 0.01, within(1e-9));

    f.turnOver(0.8); // a fifth of their sessions end; nobody new joins them
    assertThat(f.holding()).isEqualTo(6);
    assertThat(f.drainingViewers()).isCloseTo(1440, within(1e-9));
    f.advance(T0.plus(Duration.ofMinutes(5))); // the drain timeout
    assertThat(f.holding()).isEqualTo(4);
    assertThat(f.takeCut()).isCloseTo(1440, within(1e-9)); // whoever was still watching
    assertThat(f.takeCut()).isZero();
    assertThat(f.costUsd(HOUR)).isCloseTo(4 * 0.50 + 2 * 0.01, within(1e-9));
  }

  @Test
  void aDrainingRelayWhoseLastViewerLeftGoesBeforeItsTimeout_cuttingNobody() {
    SimFleet f = new SimFleet(RELAY, Duration.ofMinutes(5), 0, null);
    f.startWith(6);
    f.settle(6 * 900, 1, 900);
    f.setCapacity(5, 2, T0);

    f.turnOver(0.01); // 9 left
    assertThat(f.holding()).isEqualTo(6);
    f.turnOver(0.1); // fewer than one
    assertThat(f.holding()).isEqualTo(5);
    assertThat(f.takeCut()).isZero();
  }

  @Test
  void aScaleInTakesTheEmptiestRelays_soOnAPackedEdgeItDrainsFewOrNone() {
    SimFleet f = new SimFleet(RELAY, Duration.ofMinutes(5), 0, null);
    f.startWith(5);
    f.settle(2_000, 1, 900); // 900, 900, 200, 0, 0

    f.setCapacity(3, 2, T0); // both empty relays go at once, nobody drains
    assertThat(f.holding()).isEqualTo(3);
    assertThat(f.drainingViewers()).isZero();

    f.setCapacity(2, 2, T0); // the relay with 200 drains them
    assertThat(f.holding()).isEqualTo(3);
    assertThat(f.drainingViewers()).isCloseTo(200, within(1e-9));
    assertThat(f.takeCut()).isZero();
  }

  @Test
  void withoutADrainAnInstanceTakenOutCutsItsViewersAtOnce() {
    SimFleet f = new SimFleet(RELAY, Duration.ZERO, 0, null);
    f.startWith(6);
    f.settle(6 * 700, 1, 700);
    f.setCapacity(4, 2, T0);

    assertThat(f.holding()).isEqualTo(4);
    assertThat(f.takeCut()).isCloseTo(1400, within(1e-9));
  }

  @Test
  void relaysTakenOutIntoALargerPool_fillItAsTheyDrain_withNoRefillLaunched() {
    SimFleet f = new SimFleet(RELAY, Duration.ofMinutes(5), 0, null);
    f.startWith(10);
    f.settle(10 * 300, 1, 300);
    f.setCapacity(4, 8, T0); // six taken out, the pool raised to hold them
    f.advance(T0);

    // 10 running (4 serving, 6 draining) and the 2 stopped: nothing launched to refill the pool.
    assertThat(f.costUsd(HOUR)).isCloseTo(10 * 0.50 + 2 * 0.01, within(1e-9));

    f.turnOver(0); // their viewers gone, they stop into the pool
    f.advance(T0.plusSeconds(10));
    assertThat(f.state().warm()).isEqualTo(8);
    assertThat(f.costUsd(HOUR)).isCloseTo(4 * 0.50 + 8 * 0.01, within(1e-9));

    f.setCapacity(10, 2, T0.plusSeconds(20)); // the audience is back: six resume on the warm boot
    f.advance(T0.plusSeconds(50));
    assertThat(f.state().inService()).isEqualTo(10);
  }

  @Test
  void aWarmBootComesIntoService_beforeAColdBootLaunchedEarlier() {
    SimFleet f = new SimFleet(RELAY, Duration.ZERO, 0, null);
    f.startWith(4);
    f.setCapacity(6, 2, T0); // the pool's two resume; two launch to refill it
    f.advance(T0);
    f.setCapacity(7, 2, T0.plusSeconds(60)); // the pool is empty: a cold boot, in at 150 s
    f.advance(T0.plusSeconds(90)); // the pool refilled
    f.setCapacity(8, 2, T0.plusSeconds(90)); // a warm boot, in at 120 s

    f.advance(T0.plusSeconds(120));
    assertThat(f.state().inService()).isEqualTo(7);
    f.advance(T0.plusSeconds(150));
    assertThat(f.state().inService()).isEqualTo(8);
  }
}
