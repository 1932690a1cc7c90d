package dev.liffey.autoscaler.bench;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic edge for benchmarks: {@code regions} regions, each with one relay group, four GPU
 * groups and {@code servicesPerRegion} services; one market per region, served by it and the next.
 */
final class LargeEdge {
  private LargeEdge() {}

  static List<String> regionIds(int regions) {
    List<String> ids = new ArrayList<>();
    String[] areas = {"west", "north", "south", "central", "east"};
    for (int i = 0; ids.size() < regions; i++) {
      ids.add("eu-" + areas[i / 9] + "-" + (i % 9 + 1));
    }
    return ids;
  }

  static EdgeConfig build(int regions, int servicesPerRegion) throws Exception {
    List<String> ids = regionIds(regions);
    StringBuilder y =
        new StringBuilder("version: 1\nprimaryRegion: " + ids.get(0) + "\nregions:\n");
    for (int r = 0; r < regions; r++) {
      String id = ids.get(r);
      y.append("  - id: ")
          .append(id)
          .append("\n    city: City")
          .append(r)
          .append("\n    availabilityZones: [")
          .append(id)
          .append("a, ")
          .append(id)
          .append("b, ")
          .append(id)
          .append("c]\n    vpcCidr: 10.")
          .append(r)
          .append(
              ".0.0/16\n    egressUsdPerGb: 0.09\n    relay: {instanceType: c6in.2xlarge, viewersPerInstance: 1500, minInstances: 2,"
                  + " maxInstances: 200, warmPoolSize: 8, coldBootSeconds: 95, warmBootSeconds: 32, hourlyPriceUsd: 0.5,"
                  + " warmHourlyPriceUsd: 0.004}\n    transcode:\n");
      String[][] gpus = {
        {"g6.2xlarge", "L4", "[av1, hevc]"},
        {"g6.4xlarge", "L4", "[av1, hevc]"},
        {"g5.2xlarge", "A10G", "[hevc]"},
        {"g4dn.2xlarge", "T4", "[hevc]"}
      };
      for (String[] g : gpus) {
        y.append("      - {instanceType: ")
            .append(g[0])
            .append(", gpu: ")
            .append(g[1])
            .append(", encodes: ")
            .append(g[2])
            .append(
                ", streamsPerInstance: 8, minInstances: 0, maxInstances: 40, warmPoolSize: 1,"
                    + " coldBootSeconds: 300, warmBootSeconds: 60, hourlyPriceUsd: 1.1, warmHourlyPriceUsd: 0.015}\n");
      }
      y.append(
          "    eks:\n      kubernetesVersion: \"1.33\"\n      nodeInstanceTypes: [m7i.xlarge]\n      minNodes: 3\n"
              + "      maxNodes: 50\n      services:\n");
      for (int s = 0; s < servicesPerRegion; s++) {
        y.append("        svc")
            .append(s)
            .append(
                ": {viewersPerReplica: 3000, minReplicas: 2, maxReplicas: 80,"
                    + " startupSeconds: 20, hourlyPriceUsd: 0.08, quota: {cpu: 64, memoryGiB: 128, pods: 100},"
                    + " minAvailablePercent: 50, priority: "
                    + (s + 1)
                    + "}\n");
      }
    }
    y.append("markets:\n");
    for (int r = 0; r < regions; r++) {
      y.append("  - {code: ")
          .append(code(r))
          .append(", name: Market")
          .append(r)
          .append(", servedBy: [{region: ")
          .append(ids.get(r))
          .append(", baseLatencyMillis: 9}, {region: ")
          .append(ids.get((r + 1) % regions))
          .append(", baseLatencyMillis: 20}]}\n");
    }
    y.append("routing: {market: ")
        .append(code(0))
        .append(
            ", hostedZone: bench.example, hostedZoneId: Z1BENCH,"
                + " entryName: edge.bench.example, recordName: w.edge.bench.example, ttlSeconds: 60,"
                + " maxWeightShiftPerMinute: 40, initialWeights: {")
        .append(ids.get(0))
        .append(": 200, ")
        .append(ids.get(1))
        .append(
            ": 55}, healthCheck: {path: /healthz, port: 443, intervalSeconds: 10, failureThreshold: 3}}\n")
        .append(
            "scaling: {tickSeconds: 10, targetUtilization: 0.9, forecastQuantile: 0.95,"
                + " scaleInStabilizationSeconds: 300, maxScaleInPercentPerMinute: 10, staleAfterSeconds: 60,"
                + " latencySloMillis: 150, budgetUsdPerHour: 100000}\n")
        .append("autoscaler: {image: liffey/autoscaler:bench}\n");
    return new EdgeConfigLoader().parse("large-edge.yaml", y.toString()).config();
  }

  /** AA, AB, ... : two-letter market codes. */
  private static String code(int i) {
    return "" + (char) ('A' + i / 26) + (char) ('A' + i % 26);
  }
}
