package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.Drain;
import dev.liffey.autoscaler.engine.ControlState.Key;
import dev.liffey.autoscaler.engine.ControlState.RoutePin;
import dev.liffey.autoscaler.engine.RoutingActuator;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where viewers go, as on-call changes it: the routed market's weights shifted and pinned, or
 * reset; a region drained of every market, and undrained.
 */
public final class RoutingActions {
  private final EdgeConfig config;
  private final ChangeDesk desk;
  private final RoutingActuator weights;
  private final GeoRecords geo;

  public RoutingActions(
      EdgeConfig config, ChangeDesk desk, RoutingActuator weights, GeoRecords geo) {
    this.config = config;
    this.desk = desk;
    this.weights = weights;
    this.geo = geo;
  }

  /**
   * Sends {@code percent} of the routed market to {@code region} now, pinned for {@code lasting}:
   * the weights are the planner's own for that pin ({@link ViewerRouting#pinnedWeights}), so its
   * next tick leaves them be.
   */
  public Outcome shift(String marketCode, String region, int percent, Duration lasting) {
    Market market = routed(marketCode);
    if (market.servedBy().stream().noneMatch(s -> s.regionId().equals(region))) {
      throw new Refused(
          "--to '"
              + region
              + "' does not serve "
              + marketCode
              + ": use one of "
              + String.join(
                  ", ", market.servedBy().stream().map(Market.ServedBy::regionId).toList()));
    }
    if (percent < 0 || percent > 100) {
      throw new Refused("--percent " + percent + " is outside 0-100");
    }
    ControlState control = desk.look();
    Map<String, Integer> before = weights.weights();
    Map<String, Integer> target = ViewerRouting.pinnedWeights(market, region, percent);
    Instant until = desk.now().plus(lasting);
    Key key = Key.pin(marketCode);
    String what =
        "shift "
            + marketCode
            + " "
            + percent
            + "% to "
            + region
            + " until "
            + until
            + ": weights "
            + sorted(before)
            + " → "
            + sorted(target);
    return desk.apply(
        new ChangeDesk.Change(
            "route",
            what + Entries.replacing(control, key),
            what,
            "weights " + sorted(before),
            "weights " + sorted(target),
            who ->
                List.of(
                    Write.put(
                        new RoutePin(marketCode, region, percent, until, desk.reason(), who),
                        control.version(key))),
            () -> weights.setWeights(target),
            List.of()));
  }

  /** Back to the configured weights now; any pin is lifted and the autoscaler routes again. */
  public Outcome reset() {
    String marketCode = config.routing().market();
    ControlState control = desk.look();
    Map<String, Integer> before = weights.weights();
    Map<String, Integer> target = new LinkedHashMap<>(config.routing().initialWeights());
    Key key = Key.pin(marketCode);
    boolean pinned = control.version(key) > 0;
    if (!pinned && before.equals(target)) {
      return new Outcome.NothingToDo(
          marketCode
              + " weights are the configured ones "
              + sorted(target)
              + " and nothing is pinned");
    }
    String what =
        "reset "
            + marketCode
            + " to the configured weights: "
            + sorted(before)
            + " → "
            + sorted(target);
    return desk.apply(
        new ChangeDesk.Change(
            "route",
            what
                + (pinned
                    ? ", lifting the " + Entries.describe(control.entry(key).orElseThrow())
                    : ""),
            what,
            "weights " + sorted(before),
            "weights " + sorted(target),
            who -> pinned ? List.of(Write.remove(key, control.version(key))) : List.of(),
            () -> weights.setWeights(target),
            List.of()));
  }

  /** Every market off {@code region} now, its capacity kept (no scale-in) until it is undrained. */
  public Outcome drain(String region) {
    return move(region, true);
  }

  /**
   * Markets back onto a drained region: geolocation records at once, the weights at the
   * autoscaler's pace.
   */
  public Outcome undrain(String region) {
    return move(region, false);
  }

  private Outcome move(String region, boolean drain) {
    if (!config.regionIds().contains(region)) {
      throw new Refused(
          "unknown region '" + region + "': use one of " + String.join(", ", config.regionIds()));
    }
    ControlState control = desk.look();
    if (drain == control.drained(region)) {
      return new Outcome.NothingToDo(region + (drain ? " is drained already" : " is not drained"));
    }
    Map<String, Integer> weightsNow = weights.weights();
    Map<String, String> geoNow = geo.targets();
    DrainPlan plan =
        drain
            ? DrainPlan.drain(config, region, control.drainedRegions(), weightsNow, geoNow)
            : DrainPlan.undrain(config, region, control.drainedRegions(), weightsNow, geoNow);
    for (String market : plan.geo().keySet()) {
      if (!geoNow.containsKey(market)) {
        throw new IllegalStateException(
            "no geolocation record "
                + config.routing().entryName()
                + " for "
                + market
                + " in zone "
                + config.routing().hostedZoneId()
                + " (deploy the routing stack); nothing changed");
      }
    }
    String verb = drain ? "drain" : "undrain";
    String what =
        verb
            + " "
            + region
            + ": "
            + config.routing().market()
            + " weights "
            + sorted(weightsNow)
            + " → "
            + sorted(plan.weights())
            + (plan.geo().isEmpty()
                ? ""
                : ", "
                    + plan.geo().entrySet().stream()
                        .map(e -> e.getKey() + " → " + e.getValue())
                        .collect(Collectors.joining(", ")));
    Key key = Key.drain(region);
    List<String> notes =
        drain
            ? List.of(
                "capacity in "
                    + region
                    + " is kept while drained; 'liffey undrain --region "
                    + region
                    + "' lets viewers back")
            : List.of(
                config.routing().market()
                    + " weights return to "
                    + sorted(config.routing().initialWeights())
                    + " at the autoscaler's pace; 'liffey route reset' does it now");
    return desk.apply(
        new ChangeDesk.Change(
            verb,
            what,
            what,
            "weights " + sorted(weightsNow) + ", geo " + new TreeMap<>(geoNow),
            "weights " + sorted(plan.weights()) + ", geo " + new TreeMap<>(plan.geo()),
            who ->
                List.of(
                    drain
                        ? Write.put(
                            new Drain(region, desk.now(), desk.reason(), who), control.version(key))
                        : Write.remove(key, control.version(key))),
            () -> {
              weights.setWeights(plan.weights());
              geo.point(plan.geo());
            },
            notes));
  }

  /** The market routed by weight, or why {@code code} is not it. */
  private Market routed(String code) {
    if (!config.routing().market().equals(code)) {
      throw new Refused(
          "market '"
              + code
              + "' is not routed by weight: only "
              + config.routing().market()
              + " is");
    }
    return config.market(code).orElseThrow();
  }

  private static Map<String, Integer> sorted(Map<String, Integer> weights) {
    return new TreeMap<>(weights);
  }
}
