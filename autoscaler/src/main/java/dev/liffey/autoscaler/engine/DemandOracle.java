package dev.liffey.autoscaler.engine;

import java.time.Instant;

/** Demand known in advance, for the baselines that get to see the future (static, oracle). */
public interface DemandOracle {
  double viewers(String market, Instant at);

  double streams(String region, Instant at);

  Instant start();

  Instant end();
}
