package dev.liffey.core.config;

import java.util.List;

/**
 * Viewers of one country and the regions allowed to serve them.
 *
 * @param code ISO 3166-1 alpha-2, like {@code IE}
 * @param name for people
 * @param servedBy candidate regions with their base latency, first is preferred
 */
public record Market(String code, String name, List<ServedBy> servedBy) {

  /**
   * @param regionId a configured region @param baseLatencyMillis round trip from the market,
   *     unloaded
   */
  public record ServedBy(String regionId, int baseLatencyMillis) {}
}
