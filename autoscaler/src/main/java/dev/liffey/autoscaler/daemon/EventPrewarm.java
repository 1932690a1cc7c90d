package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a known event needs ahead of time: relay floors per region for its expected audience (routed
 * with the configured weights, at the target utilization), in force from when they must start
 * launching until the event ends. Written to the control table, they are durable across restarts and
 * visible to on-call. Stateless.
 */
final class EventPrewarm {
  static final String WHO = "liffey-autoscaler (known events)";

  private EventPrewarm() {}

  /** When the floors must be written: the event's pre-warm lead plus the slowest relay boot before it starts. */
  static Instant prewarmAt(EdgeConfig config, KnownEvent e) {
    Duration boot = config.regions().stream().map(r -> r.relay().sizing().coldBoot()).max(Duration::compareTo)
        .orElse(Duration.ZERO);
    return e.start().minus(e.prewarmLead()).minus(boot);
  }

  static List<CapacityFloor> floors(EdgeConfig config, KnownEvent e) {
    Market market = config.market(e.market()).orElseThrow();
    Map<String, Double> shares = new ViewerRouting(config).shares(market, config.routing().initialWeights());
    FleetCatalog catalog = new FleetCatalog(config);
    List<CapacityFloor> floors = new ArrayList<>();
    shares.forEach((region, share) -> {
      FleetSpec relays = catalog.get(FleetId.relay(region));
      int units = relays.clamp(relays.unitsFor(e.expectedViewers() * share, config.scaling().targetUtilization()));
      if (share > 0) {
        floors.add(new CapacityFloor(region, "relay", units, e.end(), "known event '" + e.name() + "' at "
            + e.start() + ", " + e.expectedViewers() + " " + e.market() + " viewers expected", WHO));
      }
    });
    return floors;
  }
}
