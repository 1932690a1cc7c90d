package dev.liffey.autoscaler.engine;

/**
 * One scalable fleet: a region's relay group, one GPU group (named by instance type), or one
 * Kubernetes service (named by service).
 */
public record FleetId(String region, FleetKind kind, String name) implements Comparable<FleetId> {

  public static FleetId relay(String region) {
    return new FleetId(region, FleetKind.RELAY, "relay");
  }

  public static FleetId transcode(String region, String instanceType) {
    return new FleetId(region, FleetKind.TRANSCODE, instanceType);
  }

  public static FleetId service(String region, String service) {
    return new FleetId(region, FleetKind.SERVICE, service);
  }

  /**
   * Region and service names differ in a character or two ({@code eu-west-1}, {@code eu-west-2};
   * {@code svc12}, {@code svc21}), which the record's default 31-based hash maps onto each other:
   * with 10,000 fleets half the ids shared a hash with another. Mixing the region's hash with a
   * large odd multiplier keeps them apart; the kind counts by ordinal, so the hash is the same in
   * every JVM.
   */
  @Override
  public int hashCode() {
    return (region.hashCode() * 0x9E3779B9 + name.hashCode()) * 31 + kind.ordinal();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FleetId f
        && kind == f.kind
        && name.equals(f.name)
        && region.equals(f.region);
  }

  /** {@code relay eu-west-1}, {@code transcode g6.2xlarge eu-west-1}, {@code chat eu-west-1}. */
  @Override
  public String toString() {
    return switch (kind) {
      case RELAY -> "relay " + region;
      case TRANSCODE -> "transcode " + name + " " + region;
      case SERVICE -> name + " " + region;
    };
  }

  @Override
  public int compareTo(FleetId o) {
    int c = region.compareTo(o.region);
    if (c != 0) {
      return c;
    }
    c = kind.compareTo(o.kind);
    return c != 0 ? c : name.compareTo(o.name);
  }
}
