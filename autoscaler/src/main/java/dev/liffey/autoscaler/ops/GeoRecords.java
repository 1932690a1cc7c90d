package dev.liffey.autoscaler.ops;

import java.util.Map;

/**
 * The geolocation record of each market that is not routed by weight: where its viewers resolve to.
 */
public interface GeoRecords {
  /** Market code to the regional name its record points at. */
  Map<String, String> targets();

  /** Points each market's record at a regional name; all or nothing. */
  void point(Map<String, String> marketToName);
}
