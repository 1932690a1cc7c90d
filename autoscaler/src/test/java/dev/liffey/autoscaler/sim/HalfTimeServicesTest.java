package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.core.config.EdgeConfig;
import org.junit.jupiter.api.Test;

/**
 * Germany's 60,563 viewers, 86% gone in 101 s, 97% back in 98 s nine minutes later: a half-time.
 * Liffey's relays kept stopped in their warm pool resume in 32 s and admit the crowd; its chat,
 * wallet and game replicas, given up in the break, had waited for nodes, and for a minute the
 * returning viewers had none (3.84M viewer-seconds, where target tracking lost 6.83M and the
 * reactive oracle 0.18M). The services now keep room for an audience that left a level it held.
 */
class HalfTimeServicesTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();

  @Test
  void viewersBackFromHalfTime_findTheirServices_withinTheCostTarget() throws Exception {
    Scorecard liffey = FamilySeeds.score(CONFIG, "exodus-return", 1, LiffeyPolicy.NAME);
    Scorecard oracle = FamilySeeds.score(CONFIG, "exodus-return", 1, OraclePolicy.NAME);

    assertThat(liffey.unservedServiceViewerSeconds()).isZero();
    assertThat(liffey.costUsd()).isLessThanOrEqualTo(1.25 * oracle.costUsd());
  }
}
