package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.core.config.EdgeConfig;
import org.junit.jupiter.api.Test;

/**
 * An ad break's audience drifts away and is back within 10-20 s, faster than a replica starts.
 * Liffey's relays, in service or a warm boot away, admit it at once; its chat, wallet and game
 * replicas, given up in the break, had taken a start and a tick more, and every returning viewer
 * had found none (1.63M viewer-seconds on this seed, where target tracking, which never scales in
 * through a break, lost none).
 */
class AdBreakServicesTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();

  @Test
  void viewersBackFromABreak_findTheServicesTheirRelaysAdmitThemTo() throws Exception {
    Scorecard card = FamilySeeds.score(CONFIG, "ad-breaks", 7, LiffeyPolicy.NAME);

    assertThat(card.unservedServiceViewerSeconds()).isZero();
  }
}
