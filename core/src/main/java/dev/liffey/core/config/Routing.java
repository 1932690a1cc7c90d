package dev.liffey.core.config;

import java.time.Duration;
import java.util.Map;

/**
 * DNS routing of one market (Ireland) between its candidate regions, by Route 53 weights.
 *
 * @param market the market routed by weight
 * @param hostedZone the public hosted zone's name
 * @param hostedZoneId the zone's id (it exists with the domain; the CDK app adds records to it)
 * @param entryName the name viewers resolve; geolocation records send each market on
 * @param recordName the weighted record set for {@code market}; each record's SetIdentifier is a
 *     region id
 * @param ttlSeconds TTL of every record Liffey manages
 * @param maxWeightShiftPerMinute the most any weight may move in one minute
 * @param initialWeights the weights deployed, per region id, 0-255
 * @param healthCheck how Route 53 probes each region's edge
 */
public record Routing(
    String market,
    String hostedZone,
    String hostedZoneId,
    String entryName,
    String recordName,
    int ttlSeconds,
    int maxWeightShiftPerMinute,
    Map<String, Integer> initialWeights,
    HealthCheck healthCheck) {

  /**
   * Route 53 needs about a minute to reach every edge location after a change; resolvers then wait
   * out the TTL.
   */
  public static final Duration PROPAGATION = Duration.ofSeconds(60);

  /** How long after a weight change the joins it steers start to follow it. */
  public Duration steersAfter() {
    return PROPAGATION.plusSeconds(ttlSeconds);
  }

  /** The regional name each region's edge answers on, like {@code eu-west-1.edge.example.net}. */
  public String regionalName(String regionId) {
    return regionId + "." + entryName;
  }

  /**
   * @param path probed over HTTPS @param port TCP port @param intervalSeconds 10 or 30 @param
   *     failureThreshold 1-10
   */
  public record HealthCheck(String path, int port, int intervalSeconds, int failureThreshold) {}
}
