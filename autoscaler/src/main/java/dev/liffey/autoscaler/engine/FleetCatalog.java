package dev.liffey.autoscaler.engine;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.InstanceSizing;
import dev.liffey.core.config.Region;
import dev.liffey.core.config.ServiceFleet;
import dev.liffey.core.config.TranscodePool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every fleet of the configuration, in a stable order: per region, relay, GPU groups by preference, services. */
public final class FleetCatalog {
  private final Map<FleetId, FleetSpec> specs = new LinkedHashMap<>();

  public FleetCatalog(EdgeConfig config) {
    for (Region region : config.regions()) {
      add(FleetId.relay(region.id()), region.relay().sizing(), region.relay().viewersPerInstance(), 0);
      List<TranscodePool> pools = region.transcode();
      for (int i = 0; i < pools.size(); i++) {
        TranscodePool pool = pools.get(i);
        add(FleetId.transcode(region.id(), pool.sizing().instanceType()), pool.sizing(), pool.streamsPerInstance(), i);
      }
      for (ServiceFleet s : region.eks().services()) {
        FleetId id = FleetId.service(region.id(), s.name());
        specs.put(id, new FleetSpec(id, s.viewersPerReplica(), s.minReplicas(), s.maxReplicas(), 0, s.startup(),
            s.startup(), s.hourlyPriceUsd(), 0, 0));
      }
    }
  }

  private void add(FleetId id, InstanceSizing s, int unitCapacity, int preference) {
    specs.put(id, new FleetSpec(id, unitCapacity, s.minInstances(), s.maxInstances(), s.warmPoolSize(), s.coldBoot(),
        s.warmBoot(), s.hourlyPriceUsd(), s.warmHourlyPriceUsd(), preference));
  }

  public List<FleetSpec> all() {
    return List.copyOf(specs.values());
  }

  public FleetSpec get(FleetId id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException("no fleet " + id + " in the configuration"));
  }

  /** The fleet's spec, if the configuration has it (a group tagged for a fleet it lacks has none). */
  public Optional<FleetSpec> find(FleetId id) {
    return Optional.ofNullable(specs.get(id));
  }

  public List<FleetSpec> inRegion(String region, FleetKind kind) {
    List<FleetSpec> out = new ArrayList<>();
    for (FleetSpec s : specs.values()) {
      if (s.id().region().equals(region) && s.id().kind() == kind) {
        out.add(s);
      }
    }
    return out;
  }

  /** The longest cold boot of any fleet: how far ahead any plan must look. */
  public Duration longestColdBoot() {
    return specs.values().stream().map(FleetSpec::coldBoot).max(Duration::compareTo).orElse(Duration.ZERO);
  }
}
