package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.RoutingPlan;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.autoscaler.engine.forecast.DemandForecaster;
import dev.liffey.autoscaler.engine.forecast.Forecast;
import dev.liffey.autoscaler.engine.forecast.SeriesKey;
import dev.liffey.autoscaler.engine.guard.Guard;
import dev.liffey.autoscaler.engine.plan.CapacityPlanner;
import dev.liffey.autoscaler.engine.plan.LadderPlanner;
import dev.liffey.autoscaler.engine.plan.RoutingPlanner;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Liffey's policy: forecast each market's viewers and each region's streams over every fleet's boot
 * horizon, route the routed market by latency and headroom, size every fleet for the forecast's
 * upper quantile, and pass it all through the {@link Guard}; shorten ladders where the GPUs in
 * service have no slot for every stream ({@link LadderPlanner}). Keeps history; one instance per
 * loop.
 */
public final class LiffeyPolicy implements ScalingPolicy {
  public static final String NAME = "liffey";

  /**
   * Liffey with its router off (the weights stay as configured): the reference its routing is
   * judged against.
   */
  public static final String FIXED_ROUTING_NAME = "liffey-fixed-routing";

  private final String name;

  private final EdgeConfig config;
  private final DemandForecaster forecaster;
  private final CapacityPlanner planner;
  private final RoutingPlanner routing;
  private final Guard guard;
  private final LadderPlanner ladders;
  private final UnheardRegions unheard;
  private final RelaysThroughout relaysThroughout;
  private final LateAdmissions lateAdmissions;

  /** Per market, in the configuration's order, the horizon its forecast is reported at. */
  private final List<Duration> reportedHorizons = new ArrayList<>();

  public LiffeyPolicy(EdgeConfig config) {
    this(config, NAME, new RoutingPlanner(config));
  }

  /** Liffey's forecasts, capacity and ladders without its router: {@link #FIXED_ROUTING_NAME}. */
  public static LiffeyPolicy withFixedRouting(EdgeConfig config) {
    return new LiffeyPolicy(config, FIXED_ROUTING_NAME, RoutingPlanner.fixed(config));
  }

  private LiffeyPolicy(EdgeConfig config, String name, RoutingPlanner routing) {
    this.name = name;
    this.config = config;
    FleetCatalog catalog = new FleetCatalog(config);
    this.forecaster =
        new DemandForecaster(
            config.scaling().forecastQuantile(),
            config.scaling().maxSurgeFactor(),
            bySeries(config.events()));
    this.planner = new CapacityPlanner(config, catalog, forecaster);
    this.routing = routing;
    this.guard = new Guard(config, catalog);
    this.ladders = new LadderPlanner(config, catalog);
    this.unheard = new UnheardRegions(config);
    // A reading older than staleAfter is not used; a tick more covers the one in force at its
    // start. Three ticks without one (a late tick or two aside) is a replica that stopped leading.
    Duration tick = config.scaling().tick();
    this.relaysThroughout =
        new RelaysThroughout(config.scaling().staleAfter().plus(tick), tick.multipliedBy(3));
    this.lateAdmissions = new LateAdmissions(config);
    for (Market m : config.markets()) {
      // The soonest the market's relays can add capacity: the fastest warm boot among its regions'.
      reportedHorizons.add(
          m.servedBy().stream()
              .map(s -> config.region(s.regionId()).relay().sizing().warmBoot())
              .min(Duration::compareTo)
              .orElse(Duration.ZERO)
              .plus(config.scaling().tick()));
    }
  }

  /** Known events by the viewer series they raise (their market's). */
  private static Map<SeriesKey, List<KnownEvent>> bySeries(List<KnownEvent> events) {
    Map<SeriesKey, List<KnownEvent>> out = new HashMap<>();
    for (KnownEvent e : events) {
      out.computeIfAbsent(SeriesKey.viewers(e.market()), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Decision decide(Observation read) {
    Observation obs = withoutLateAdmissions(withSilentRelaysLikeTheRest(read));
    observe(obs);
    forecaster.setAddedEvents(bySeries(obs.control().events()));
    RoutingPlan route = routing.plan(obs);
    List<FleetPlan> fleets =
        guard.apply(obs, planner.plan(obs, routing.splitsToPlanFor(obs, route)), read.metrics());
    Map<String, Decision.ForecastPoint> forecasts = new TreeMap<>();
    List<Market> markets = config.markets();
    for (int i = 0; i < markets.size(); i++) {
      Market m = markets.get(i);
      Duration horizon = reportedHorizons.get(i);
      Forecast f = forecaster.forecast(SeriesKey.viewers(m.code()), obs.now(), horizon);
      forecasts.put(m.code(), new Decision.ForecastPoint(f.level(), f.upper(), horizon));
    }
    return new Decision(obs.now(), name, fleets, Optional.of(route), forecasts, ladders.plan(obs));
  }

  /**
   * What was read, each region's counts scaled up where some of the relays in service all through
   * the period read did not publish ({@link Metrics#withSilentRelaysLikeTheRest}): the forecaster,
   * the router and the planner see the audience, not the agents' reach. Relays that came into
   * service since the period began are not counted as silent ({@link RelaysThroughout}).
   */
  private Observation withSilentRelaysLikeTheRest(Observation read) {
    for (String region : config.regionIds()) {
      FleetState relays = read.fleets().get(FleetId.relay(region));
      if (relays != null) {
        relaysThroughout.saw(region, read.now(), relays.inService());
      }
    }
    // Only the regions whose relays said how many published are looked up: a tick of 10,000 fleets
    // does not walk them all for the few relay groups.
    Metrics metrics =
        read.metrics()
            .withSilentRelaysLikeTheRest(
                region -> {
                  FleetState relays = read.fleets().get(FleetId.relay(region));
                  Sample reporting = read.metrics().relaysReporting().get(region);
                  return relays == null || reporting == null
                      ? null
                      : relaysThroughout.since(region, reporting.at());
                });
    return read.withMetrics(metrics);
  }

  /**
   * What was read, less the refused viewers who got in later in the period ({@link
   * LateAdmissions}).
   */
  private Observation withoutLateAdmissions(Observation read) {
    return read.withMetrics(
        lateAdmissions.withoutLateAdmissions(read.metrics(), relaysThroughout::since));
  }

  /**
   * Feeds the forecaster each market's viewers: those watching plus those its regions refused (a
   * saturated edge reports what it holds, and the refused joins are the rest of the crowd). A
   * region whose count is missing or stale is stood in for ({@link UnheardRegions}) while another
   * region of the market was counted; a market no region of which was counted teaches it nothing.
   */
  private void observe(Observation obs) {
    var staleAfter = config.scaling().staleAfter();
    for (Market m : config.markets()) {
      double viewers = 0;
      boolean heard = false;
      boolean known = true;
      for (Market.ServedBy s : m.servedBy()) {
        MarketRegion key = new MarketRegion(m.code(), s.regionId());
        Sample sample = obs.metrics().viewers().get(key);
        if (sample == null || sample.staleAt(obs.now(), staleAfter)) {
          OptionalDouble standIn = unheard.standIn(obs, key);
          known &= standIn.isPresent();
          viewers += standIn.orElse(0);
          continue;
        }
        double demand = obs.metrics().demand(key);
        unheard.counted(key, demand);
        viewers += demand;
        heard = true;
      }
      if (heard && known) {
        forecaster.observe(SeriesKey.viewers(m.code()), obs.metrics().at(), viewers);
      }
    }
    for (String region : config.regionIds()) {
      Sample s = obs.metrics().streams().get(region);
      if (s != null && !s.staleAt(obs.now(), staleAfter)) {
        forecaster.observe(SeriesKey.streams(region), s.at(), s.value());
      }
    }
  }
}
