package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.core.config.EdgeConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * London slow, Ireland's joins moved to Dublin, and Britain, which no record steers, surging onto
 * what London has left. London planned its Irish viewers as leaving at the upper quantile of the
 * market's departures, 5-9% under the viewers it had, and met Britain's surge a tick or two late:
 * on seeds 3 and 15 Liffey lost more viewers than with its router off (61,987 viewer-seconds
 * against 42,800; 34,439 against 7,524). A region the weights take joins from now keeps those who
 * may stay. On seeds 1 and 18 London then gave up a relay a minute before the surge, its need one
 * unit lower read as a collapse (46,885 against 33,579; 36,779 against 35,128): one unit less is no
 * collapse now.
 *
 * <p>The mirror (stop 68): Dublin slow, Ireland's joins moved to London, and Britain surging onto
 * the same London relays. A shift must leave London room for Britain; on every one of 30 seeds the
 * router lost fewer viewers than its fixed weights (seed 16: 111,610 viewer-seconds against
 * 1,069,315; seed 29: 222,471 against 820,193), where a fixed Irish share on a slow Dublin met no
 * surge but London's refused Britain's.
 */
class BritainSurgeRoutingTest {
  private static final EdgeConfig CONFIG = TestConfigs.repository();

  @ParameterizedTest
  @ValueSource(longs = {1, 3, 15, 18})
  void theRouterLosesNoViewersItsFixedWeightsWouldServe_whenBritainSurgesOnASlowLondon(long seed)
      throws Exception {
    String family = "london-incident-britain-surge";
    Scorecard routed = FamilySeeds.score(CONFIG, family, seed, LiffeyPolicy.NAME);
    Scorecard fixed = FamilySeeds.score(CONFIG, family, seed, LiffeyPolicy.FIXED_ROUTING_NAME);

    assertThat(routed.unservedViewerSeconds()).isLessThanOrEqualTo(fixed.unservedViewerSeconds());
    // The router still takes Ireland off the slow region.
    assertThat(routed.slowViewerSeconds()).isLessThan(fixed.slowViewerSeconds());
  }

  @ParameterizedTest
  @ValueSource(longs = {16, 29})
  void theRouterLosesFewerViewersThanItsFixedWeights_whenBritainSurgesOnTheLondonIrelandMovedTo(
      long seed) throws Exception {
    String family = "dublin-incident-britain-surge";
    Scorecard routed = FamilySeeds.score(CONFIG, family, seed, LiffeyPolicy.NAME);
    Scorecard fixed = FamilySeeds.score(CONFIG, family, seed, LiffeyPolicy.FIXED_ROUTING_NAME);

    assertThat(routed.unservedViewerSeconds()).isLessThan(fixed.unservedViewerSeconds() / 2);
    assertThat(routed.slowViewerSeconds()).isLessThan(fixed.slowViewerSeconds());
  }
}
