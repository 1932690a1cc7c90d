package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy;
import dev.liffey.core.config.EdgeConfig;
import org.junit.jupiter.api.Test;

/**
 * Germany's 60,563 viewers, 86% gone in 101 s, 97% back in 98 s nine minutes later: a half-time.
 * Liffey's chat, wallet and game replicas, given up in the break, had waited for nodes, and for a
 * minute the returning viewers had none (3.84M viewer-seconds, where target tracking lost 6.83M and
 * the reactive oracle 0.18M). The services now keep room for an audience that left a level it held.
 * The relays that still hold the 14% who stayed are kept in service through the break (taken out,
 * they would drain them, billed, for as long, and admit no one): the return finds them, and the run
 * costs 1.07x the oracle, where taking them out cost 1.31x and lost 2.30M viewer-seconds.
 */
class HalfTimeServicesTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();

  @Test
  void viewersBackFromHalfTime_findTheirRelaysAndServices_forABillWithinTheCostTarget()
      throws Exception {
    Scorecard liffey = FamilySeeds.score(CONFIG, "exodus-return", 1, LiffeyPolicy.NAME);
    Scorecard targetTracking =
        FamilySeeds.score(CONFIG, "exodus-return", 1, TargetTrackingPolicy.NAME);

    // The target: at most 5% of target tracking's shortfall.
    assertThat(liffey.unservedServiceViewerSeconds())
        .isLessThanOrEqualTo(0.05 * targetTracking.unservedServiceViewerSeconds());
    // Relays and room cost little: the whole run within the cost target, and nobody waits.
    assertThat(liffey.costUsd())
        .isLessThanOrEqualTo(
            1.25 * FamilySeeds.score(CONFIG, "exodus-return", 1, OraclePolicy.NAME).costUsd());
    assertThat(liffey.unservedViewerSeconds()).isZero();
  }
}
