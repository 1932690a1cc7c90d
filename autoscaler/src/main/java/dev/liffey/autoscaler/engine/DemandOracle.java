package dev.liffey.autoscaler.engine;

import java.time.Instant;
import java.util.function.DoubleUnaryOperator;

/**
 * Demand known in advance, and what EC2 will have to meet it, for the baselines that get to see the
 * future (static, oracle).
 */
public interface DemandOracle {
  double viewers(String market, Instant at);

  double streams(String region, Instant at);

  /**
   * Of {@code market}'s viewers watching at {@code at}, the share still watching a number of
   * seconds later, if none joined (how fast a relay's viewers leave it).
   */
  DoubleUnaryOperator stillWatching(String market, Instant at);

  /**
   * How many instances of {@code instanceType} EC2 can run in {@code region} at {@code at}: {@link
   * Integer#MAX_VALUE} but in a shortage.
   */
  int available(String region, String instanceType, Instant at);

  Instant start();

  Instant end();
}
