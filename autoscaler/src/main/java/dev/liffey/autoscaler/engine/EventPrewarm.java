package dev.liffey.autoscaler.engine;

import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a known event needs ahead of time: relay floors per region for its expected audience (routed
 * with the configured weights, at the target utilization), in force from when they must start
 * launching until the audience has had as long as the pre-warm lead to arrive after the start; from
 * then on what is observed decides (the forecaster still weighs the event, less and less). Written
 * to the control table, they are durable across restarts and visible to on-call; each is the
 * event's own entry, so it never replaces an on-call floor on the same fleet. Stateless.
 */
public final class EventPrewarm {
  public static final String WHO = "liffey-autoscaler (known events)";

  private EventPrewarm() {}

  /**
   * When the floors must be written: the event's pre-warm lead plus the slowest boot of the relays
   * it writes floors for (the regions serving its market) before it starts.
   */
  public static Instant prewarmAt(EdgeConfig config, KnownEvent e) {
    Duration boot =
        config.market(e.market()).stream()
            .flatMap(m -> m.servedBy().stream())
            .map(s -> config.region(s.regionId()).relay().sizing().coldBoot())
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    return e.start().minus(e.prewarmLead()).minus(boot);
  }

  /** When the floors end: the audience has had as long as the pre-warm lead to arrive. */
  public static Instant floorsUntil(KnownEvent e) {
    Instant arrived = e.start().plus(e.prewarmLead());
    return arrived.isBefore(e.end()) ? arrived : e.end();
  }

  /**
   * The floors that events added at run time (in the control table) need written at {@code now}:
   * those of events whose pre-warm time has come and that have not ended, unless a floor as high
   * that lasts as long is there already (the event's own, written before). Idempotent: what it
   * returns once written, it does not return again.
   *
   * @return the floors due, by event name (events with none due are left out)
   */
  public static Map<String, List<CapacityFloor>> due(
      EdgeConfig config, ControlState state, Instant now) {
    Map<String, List<CapacityFloor>> out = new LinkedHashMap<>();
    for (KnownEvent e : state.events()) {
      if (prewarmAt(config, e).isAfter(now)
          || !floorsUntil(e).isAfter(now)
          || config.market(e.market()).isEmpty()) {
        continue;
      }
      for (CapacityFloor f : floors(config, e)) {
        boolean covered =
            state.floors().stream()
                .anyMatch(
                    have ->
                        have.key().equals(f.key())
                            && have.capacity() >= f.capacity()
                            && !have.until().isBefore(f.until()));
        if (!covered) {
          out.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(f);
        }
      }
    }
    return out;
  }

  public static List<CapacityFloor> floors(EdgeConfig config, KnownEvent e) {
    Market market = config.market(e.market()).orElseThrow();
    Map<String, Double> shares =
        new ViewerRouting(config).shares(market, config.routing().initialWeights());
    FleetCatalog catalog = new FleetCatalog(config);
    List<CapacityFloor> floors = new ArrayList<>();
    shares.forEach(
        (region, share) -> {
          FleetSpec relays = catalog.get(FleetId.relay(region));
          int units =
              relays.clamp(
                  relays.unitsFor(
                      e.expectedViewers() * share, config.scaling().targetUtilization()));
          if (share > 0) {
            floors.add(
                new CapacityFloor(
                    region,
                    "relay",
                    units,
                    floorsUntil(e),
                    "known event '"
                        + e.name()
                        + "' at "
                        + e.start()
                        + ", "
                        + e.expectedViewers()
                        + " "
                        + e.market()
                        + " viewers expected",
                    WHO,
                    Optional.of(e.name())));
          }
        });
    return floors;
  }
}
