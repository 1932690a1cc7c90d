package dev.liffey.autoscaler.engine;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.InstanceSizing;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.ServiceFleet;
import dev.liffey.core.config.TranscodePool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every fleet of the configuration, in a stable order: per region, relay, GPU groups by preference,
 * services. A service's cold boot is its startup after a new node's arrival, its warm boot its
 * startup on a node with room. Immutable once built; thread-safe.
 */
public final class FleetCatalog {
  private final Map<FleetId, FleetSpec> specs = new LinkedHashMap<>();

  /** Per region, per kind, in catalog order: planners ask for a region's fleets every tick. */
  private final Map<String, Map<FleetKind, List<FleetSpec>>> byRegion = new HashMap<>();

  public FleetCatalog(EdgeConfig config) {
    for (Region region : config.regions()) {
      add(
          FleetId.relay(region.id()),
          region.relay().sizing(),
          region.relay().viewersPerInstance(),
          0);
      List<TranscodePool> pools = region.transcode();
      for (int i = 0; i < pools.size(); i++) {
        TranscodePool pool = pools.get(i);
        add(
            FleetId.transcode(region.id(), pool.sizing().instanceType()),
            pool.sizing(),
            pool.streamsPerInstance(),
            i);
      }
      for (ServiceFleet s : region.eks().services()) {
        FleetId id = FleetId.service(region.id(), s.name());
        // A replica that finds room on a node starts in its startup time (the "warm" boot); one
        // that needs a new node waits for the node first (the "cold" boot).
        specs.put(
            id,
            new FleetSpec(
                id,
                s.viewersPerReplica(),
                s.minReplicas(),
                s.maxReplicas(),
                0,
                s.startup().plus(region.eks().nodeStartup()),
                s.startup(),
                s.hourlyPriceUsd(),
                0,
                0));
      }
    }
    Map<String, Map<FleetKind, List<FleetSpec>>> lists = new HashMap<>();
    for (FleetSpec s : specs.values()) {
      lists
          .computeIfAbsent(s.id().region(), r -> new EnumMap<>(FleetKind.class))
          .computeIfAbsent(s.id().kind(), k -> new ArrayList<>())
          .add(s);
    }
    lists.forEach(
        (region, kinds) -> {
          Map<FleetKind, List<FleetSpec>> frozen = new EnumMap<>(FleetKind.class);
          kinds.forEach((kind, list) -> frozen.put(kind, List.copyOf(list)));
          byRegion.put(region, frozen);
        });
  }

  private void add(FleetId id, InstanceSizing s, int unitCapacity, int preference) {
    specs.put(
        id,
        new FleetSpec(
            id,
            unitCapacity,
            s.minInstances(),
            s.maxInstances(),
            s.warmPoolSize(),
            s.coldBoot(),
            s.warmBoot(),
            s.hourlyPriceUsd(),
            s.warmHourlyPriceUsd(),
            preference));
  }

  public List<FleetSpec> all() {
    return List.copyOf(specs.values());
  }

  /** How many fleets the configuration has. */
  public int size() {
    return specs.size();
  }

  public FleetSpec get(FleetId id) {
    FleetSpec spec = specs.get(id);
    if (spec == null) {
      throw new IllegalArgumentException("no fleet " + id + " in the configuration");
    }
    return spec;
  }

  /**
   * The fleet's spec, if the configuration has it (a group tagged for a fleet it lacks has none).
   */
  public Optional<FleetSpec> find(FleetId id) {
    return Optional.ofNullable(specs.get(id));
  }

  /**
   * What a fleet costs an hour as it stands (its desired units running, its pool stopped); 0 for
   * one the configuration lacks.
   */
  public double hourlyUsd(FleetState f) {
    return find(f.id()).map(s -> s.hourlyUsd(f.desired(), f.warmPoolSize())).orElse(0.0);
  }

  /** The region's fleets of one kind, in catalog order; unmodifiable. */
  public List<FleetSpec> inRegion(String region, FleetKind kind) {
    return byRegion.getOrDefault(region, Map.of()).getOrDefault(kind, List.of());
  }

  /** The longest cold boot of any fleet: how far ahead any plan must look. */
  public Duration longestColdBoot() {
    return specs.values().stream()
        .map(FleetSpec::coldBoot)
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }
}
