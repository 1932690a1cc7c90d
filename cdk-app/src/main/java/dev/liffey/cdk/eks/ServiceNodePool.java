package dev.liffey.cdk.eks;

import static dev.liffey.cdk.eks.ServiceManifests.object;

import dev.liffey.core.config.EksCluster;
import dev.liffey.core.config.KnownEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EKS Auto Mode node pool the services run on ({@code karpenter.sh/v1} NodePool {@value
 * #NAME}): nodes of the configured types, on demand, in the region's zones, added when pods are
 * pending and consolidated when they are not needed, at most {@code maxNodes} of the largest type's
 * worth of vCPUs.
 *
 * <p>Known events block consolidation: for each event whose market the region serves, a budget
 * {@code nodes: "0"} for the reasons {@code Underutilized} and {@code Empty}, active from the start
 * of its pre-warm ({@code start - prewarmMinutes}) to its end. Karpenter's schedules are five-field
 * cron in UTC, which has no year: an event on 2027-02-13 at 16:10 is {@code "10 16 13 2 *"} and
 * recurs on that date every year until the event leaves edge-regions.yaml (the loader warns once it
 * has ended). Drift and expiry are not blocked: EKS Auto Mode must still be able to replace a node
 * with a security fix, and PodDisruptionBudgets guard the services then. Once a pool states any
 * budget, Karpenter applies only the budgets stated, so the always-active {@code nodes: "10%"} it
 * defaults to is stated too.
 */
final class ServiceNodePool {
  static final String NAME = "liffey-services";
  static final String POOL_LABEL = "liffey.dev/pool";

  /** Karpenter accepts at most 50 budgets per pool; one is the always-active default. */
  static final int MAX_EVENT_BUDGETS = 49;

  private static final Pattern SIZE = Pattern.compile("(\\d*)xlarge|large|medium");

  private ServiceNodePool() {}

  /**
   * @param events the known events whose market this region serves
   * @throws IllegalArgumentException if a node type's size names no vCPU count (like {@code
   *     metal}), or if more than {@link #MAX_EVENT_BUDGETS} distinct event windows are given
   */
  static Map<String, Object> of(
      String regionId, List<String> zones, EksCluster eks, List<KnownEvent> events) {
    List<Map<String, Object>> budgets = new ArrayList<>();
    budgets.add(Map.of("nodes", "10%"));
    budgets.addAll(eventBudgets(regionId, events));
    return object(
        "karpenter.sh/v1",
        "NodePool",
        NAME,
        null,
        Map.of("app.kubernetes.io/managed-by", "liffey-cdk"),
        Map.of(
            "spec",
            Map.of(
                "template",
                Map.of(
                    "metadata",
                    Map.of("labels", Map.of(POOL_LABEL, "services")),
                    "spec",
                    Map.of(
                        // The built-in NodeClass: AWS-managed Bottlerocket, the cluster's private
                        // subnets and security group, and IMDSv2 with a hop limit of 1 enforced
                        // by EKS Auto Mode (the NodeClass API has no metadata options).
                        "nodeClassRef",
                        Map.of(
                            "group", "eks.amazonaws.com", "kind", "NodeClass", "name", "default"),
                        "requirements",
                        List.of(
                            requirement(
                                "node.kubernetes.io/instance-type", eks.nodeInstanceTypes()),
                            requirement("karpenter.sh/capacity-type", List.of("on-demand")),
                            requirement("topology.kubernetes.io/zone", zones)))),
                "disruption",
                Map.of(
                    "consolidationPolicy",
                    "WhenEmptyOrUnderutilized",
                    // A node arrives in about a minute; five quiet minutes before taking one away
                    // keeps consolidation from undoing a scale-out about to be repeated (the
                    // simulator consolidates after the same wait).
                    "consolidateAfter",
                    EksCluster.CONSOLIDATE_AFTER.toMinutes() + "m",
                    "budgets",
                    budgets),
                "limits",
                Map.of(
                    "cpu", String.valueOf(eks.maxNodes() * maxVcpus(eks.nodeInstanceTypes()))))));
  }

  /** One budget per distinct window, in the order of their starts. */
  static List<Map<String, Object>> eventBudgets(String regionId, List<KnownEvent> events) {
    Set<Window> windows = new LinkedHashSet<>();
    events.stream()
        .map(e -> new Window(e.start().minus(e.prewarmLead()), e.end()))
        .sorted((a, b) -> a.from().compareTo(b.from()))
        .forEach(windows::add);
    if (windows.size() > MAX_EVENT_BUDGETS) {
      throw new IllegalArgumentException(
          regionId
              + ": "
              + windows.size()
              + " known event windows, but a node pool holds at most "
              + MAX_EVENT_BUDGETS
              + " scheduled budgets besides its default; remove ended events from edge-regions.yaml");
    }
    return windows.stream()
        .map(
            w ->
                Map.<String, Object>of(
                    "nodes",
                    "0",
                    "reasons",
                    List.of("Underutilized", "Empty"),
                    "schedule",
                    w.cron(),
                    "duration",
                    w.duration()))
        .toList();
  }

  /** When consolidation is blocked: from the start of the pre-warm to the end of the event. */
  record Window(Instant from, Instant to) {
    /** {@code minute hour day-of-month month *}, in UTC. */
    String cron() {
      ZonedDateTime at = from.atZone(ZoneOffset.UTC);
      return at.getMinute()
          + " "
          + at.getHour()
          + " "
          + at.getDayOfMonth()
          + " "
          + at.getMonthValue()
          + " *";
    }

    /** Whole minutes, rounded up, in the {@code 2h30m} form Karpenter's schema accepts. */
    String duration() {
      long minutes = (Duration.between(from, to).toSeconds() + 59) / 60;
      long hours = minutes / 60;
      long rest = minutes % 60;
      if (hours == 0) {
        return rest + "m";
      }
      return rest == 0 ? hours + "h" : hours + "h" + rest + "m";
    }
  }

  /**
   * vCPUs of the largest type: EC2 sizes {@code medium} (1), {@code large} (2), {@code xlarge} (4)
   * and {@code Nxlarge} (4N).
   */
  static int maxVcpus(List<String> instanceTypes) {
    int max = 0;
    for (String type : instanceTypes) {
      String size = type.substring(type.indexOf('.') + 1);
      Matcher m = SIZE.matcher(size);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "eks.nodeInstanceTypes: cannot tell the vCPUs of "
                + type
                + " from its size '"
                + size
                + "' (the node pool's CPU limit is maxNodes of the largest type): use a"
                + " large, xlarge or Nxlarge size");
      }
      int vcpus =
          switch (size) {
            case "medium" -> 1;
            case "large" -> 2;
            default -> 4 * (m.group(1).isEmpty() ? 1 : Integer.parseInt(m.group(1)));
          };
      max = Math.max(max, vcpus);
    }
    return max;
  }

  private static Map<String, Object> requirement(String key, List<String> values) {
    return Map.of("key", key, "operator", "In", "values", values);
  }
}
