package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Grouped;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.RegionCounts;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.SentViewers;
import dev.liffey.autoscaler.engine.ViewerRouting;
import dev.liffey.autoscaler.engine.forecast.DemandForecaster;
import dev.liffey.autoscaler.engine.forecast.Fall;
import dev.liffey.autoscaler.engine.forecast.Forecast;
import dev.liffey.autoscaler.engine.forecast.Quantiles;
import dev.liffey.autoscaler.engine.forecast.SeriesKey;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.ServiceFleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sizes every fleet for the demand forecast at t + boot time: relays from the viewers routed to
 * their region and services from viewers, under the target utilization; transcoders from live
 * streams, every ladder slot filled, plus free slots for streams going live. A fleet whose warm
 * pool has instances plans on its warm boot; demand beyond what the pool can deliver is planned on
 * the cold boot. Stateless apart from the forecaster it reads.
 */
public final class CapacityPlanner {
  private final EdgeConfig config;
  private final FleetCatalog catalog;
  private final DemandForecaster forecaster;
  private final double utilization;
  private final double lowBand;
  private final Duration tick;
  private final Market routed;
  private final ViewerRouting routing;
  private final Map<String, Double> configuredShares;
  private final SentTraffic sentTraffic;

  /** Per region, the services that keep room for the relays' warm pool. */
  private final Map<String, Set<String>> roomForPool = new HashMap<>();

  public CapacityPlanner(EdgeConfig config, FleetCatalog catalog, DemandForecaster forecaster) {
    this.config = config;
    this.catalog = catalog;
    this.forecaster = forecaster;
    this.utilization = config.scaling().targetUtilization();
    this.lowBand = utilization * Proposal.SCALE_IN_BAND;
    this.tick = config.scaling().tick();
    this.routed = config.market(config.routing().market()).orElseThrow();
    this.routing = new ViewerRouting(config);
    this.configuredShares = routing.shares(routed, config.routing().initialWeights());
    this.sentTraffic = new SentTraffic(config);
    for (String region : config.regionIds()) {
      roomForPool.put(
          region,
          config.region(region).eks().services().stream()
              .filter(ServiceFleet::roomForRelayWarmPool)
              .map(ServiceFleet::name)
              .collect(Collectors.toSet()));
    }
  }

  /**
   * @param splits per market, where its viewers will be: sessions where they are, joins by the
   *     shares each region must be ready for
   */
  public List<Proposal> plan(Observation obs, Map<String, MarketSplit> splits) {
    List<Proposal> out = new ArrayList<>(catalog.size());
    Map<String, Fall> falls = falls();
    for (String region : config.regionIds()) {
      FleetSpec relay = catalog.get(FleetId.relay(region));
      Inherited inherited = inherited(obs, region, splits);
      out.add(relay(obs, relay, splits, inherited));
      out.addAll(transcode(obs, region));
      out.addAll(services(obs, region, splits, inherited, falls));
    }
    return out;
  }

  /**
   * The markets that fell away from a level they held for a scale-in stabilization window (what
   * lasted less, the window rides out anyway) within the hour.
   */
  private Map<String, Fall> falls() {
    Map<String, Fall> out = new LinkedHashMap<>();
    Duration held = config.scaling().scaleInStabilization();
    for (Market m : config.markets()) {
      forecaster.fall(SeriesKey.viewers(m.code()), held).ifPresent(f -> out.put(m.code(), f));
    }
    return out;
  }

  /**
   * A service's replicas start in its startup time where the nodes have room, and wait for a node
   * first where they have none: like a relay's warm and cold boots, with the nodes' room as the
   * pool. Each replica is sized for the demand at the end of the start it would get; growth the
   * room left on the nodes cannot take is asked for a node's arrival ahead. The room is what the
   * region's replicas leave on the last node they fill (the nodes EKS Auto Mode keeps once it has
   * consolidated): no more is counted on. The room the region's relays keep for the routed market's
   * joins moved here ({@link Inherited}) is viewers the services must have replicas for too.
   */
  private List<Proposal> services(
      Observation obs,
      String region,
      Map<String, MarketSplit> splits,
      Inherited inherited,
      Map<String, Fall> falls) {
    List<FleetSpec> services = catalog.inRegion(region, FleetKind.SERVICE);
    // Each service's state is looked up once: with thousands of fleets a look-up is a cache miss.
    FleetState[] states = new FleetState[services.size()];
    int replicas = 0;
    for (int i = 0; i < states.length; i++) {
      FleetSpec s = services.get(i);
      FleetState st = obs.fleets().get(s.id());
      states[i] = st;
      replicas += st == null ? s.min() : Math.max(st.desired(), st.inService() + st.pending());
    }
    int perNode = config.region(region).eks().replicasPerNode();
    int room = (perNode - replicas % perNode) % perNode;
    // A region's services mostly share their start times, so they share the demand over them and
    // its words: each is worked out once per region and horizon, not once per service.
    Map<Duration, RegionDemand> demand = new HashMap<>();
    // One function for all of them: a lambda made in the loop is an allocation a service a tick.
    double connected = obs.metrics().viewersIn(region);
    double mostViewers = relaysCanHold(obs, region, connected);
    // A region handing its viewers over keeps them until its relays go, a few a tick: its services
    // serve those connected until then, whatever the plan expects of the relays.
    double stillHere = handsOver(region, splits) ? connected : 0;
    String stillHereWords =
        stillHere > 0
            ? "; " + Grouped.of(stillHere) + " still connected, handed over as relays go"
            : "";
    Blind blind = blind(obs, region);
    Function<Duration, RegionDemand> demandOver =
        boot ->
            regionViewers(obs, region, boot.plus(tick), splits)
                .atLeast(stillHere, stillHereWords)
                .atLeast(blind.viewers(), blind.words())
                .atMost(mostViewers);
    Set<String> withRoom = roomForPool.get(region);
    Returns returns = new Returns(region, splits, falls);
    double admittable =
        withRoom.isEmpty() && returns.none()
            ? 0
            : admittableFromRelayWarmPool(obs, region, connected);
    double moved = inherited.headroom();
    String movedWords = moved >= 1 ? roomWords(moved) : "";
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < states.length; i++) {
      FleetSpec service = services.get(i);
      RegionDemand soon = demand.computeIfAbsent(service.warmBoot(), demandOver);
      RegionDemand later = demand.computeIfAbsent(service.coldBoot(), demandOver);
      int onRoom = withRoom(service, service.unitsFor(soon.viewers, utilization), inherited);
      int forLater = withRoom(service, service.unitsFor(later.viewers, utilization), inherited);
      FleetState st = states[i];
      int current = st == null ? service.min() : st.desired();
      // Replicas fill the nodes' room before they wait for a node: once the room is taken now, a
      // node for what comes later must be asked for now too.
      int onNodes = onRoom >= current + room ? forLater : forLater - room;
      double poolViewers = withRoom.contains(service.id().name()) ? admittable : 0;
      // The viewers coming back before a node arrives, as far as the relays' pool admits them.
      double back = returns.within(service.coldBoot().plus(tick));
      double returnViewers = back > 0 ? Math.min(admittable, connected + back) : 0;
      int forPool = service.unitsFor(poolViewers, 1.0);
      int forReturn = service.unitsFor(returnViewers, 1.0);
      int target = Math.max(Math.max(onRoom, onNodes), Math.max(forPool, forReturn));
      // The room this service's growth takes, now or later, is not there for the next one.
      int growth = Math.max(0, forLater - current);
      room = Math.max(0, room - growth);
      RegionDemand binding = onNodes > onRoom ? later : soon;
      // Not less room: the room is where the replicas left it, and a scale-in that counted on it
      // would make it again and scale out the next tick.
      int scaleIn =
          Math.max(
              withRoom(service, service.unitsFor(soon.viewers, lowBand), inherited),
              withRoom(service, service.unitsFor(later.viewers, lowBand), inherited));
      // The rooms in the same band: they count the viewers connected, whose noise would flap them.
      scaleIn =
          Math.max(
              scaleIn,
              service.unitsFor(Math.max(poolViewers, returnViewers), Proposal.SCALE_IN_BAND));
      out.add(
          new Proposal(
              service.id(),
              target,
              Math.max(target, scaleIn),
              service.unitsFor(soon.level, lowBand),
              0,
              then(
                  forReturn > Math.max(Math.max(onRoom, onNodes), forPool)
                      ? returns.words()
                      : forPool > Math.max(onRoom, onNodes)
                          ? "room for the viewers the relays' warm pool can admit before a node"
                              + " arrives"
                          : binding.serviceReason(binding == later),
                  movedWords),
              soon.surging || later.surging));
    }
    return out;
  }

  /** What a region's services serve where none of its counts was read, and why. */
  private record Blind(double viewers, String words) {
    static final Blind NONE = new Blind(0, "");
  }

  /**
   * The viewers of a region none of whose counts was read ({@link RegionCounts#unheard}): its
   * forecast has nothing of its own, and a market it alone serves nothing at all, so its services
   * would stay where they are while its relays, sized on what EC2 measured them sending ({@link
   * SentTraffic}: doubled while full), fill. A viewer reaches chat, wallet and game only through a
   * relay: the services serve what the relays sent (a minute's average, a minute behind); where
   * those relays were full, a crowd of unknown size is waiting for slots, so every viewer the
   * relays in service and booting will hold, as each slot is taken as it comes; else what was sent
   * and what the relays still booting were launched for, at the target utilization. Not what the
   * relays in service could hold: a region unheard keeps them, so they can be far more than its
   * viewers.
   */
  private Blind blind(Observation obs, String region) {
    if (!RegionCounts.unheard(obs, region, config)) {
      return Blind.NONE;
    }
    OptionalDouble sent = SentViewers.of(obs, region, config);
    if (sent.isEmpty()) {
      return Blind.NONE;
    }
    double viewers = sent.getAsDouble();
    Blind asSent =
        new Blind(
            viewers,
            "; no count read: " + Grouped.of(viewers) + " as EC2 measured the relays sending");
    FleetSpec relay = catalog.get(FleetId.relay(region));
    FleetState relays = obs.fleets().get(relay.id());
    if (relays == null) {
      return asSent;
    }
    double capacity = relay.unitCapacity();
    if (SentViewers.full(viewers, relays.inService() * capacity, config)) {
      int fielded = relays.inService() + relays.pending();
      double all = Math.max(viewers, fielded * capacity);
      return new Blind(
          all,
          String.format(
              Locale.ROOT,
              "; no count read: the relays full by what EC2 measured them sending, so every slot"
                  + " of the %d in service and booting (%s viewers)",
              fielded,
              Grouped.of(all)));
    }
    if (relays.pending() > 0) {
      double coming = viewers + relays.pending() * capacity * utilization;
      return new Blind(
          coming,
          String.format(
              Locale.ROOT,
              "; no count read: %s as EC2 measured the relays sending, and what the %d booting"
                  + " were launched for (%s at the target utilization)",
              Grouped.of(viewers),
              relays.pending(),
              Grouped.of(coming)));
    }
    return asSent;
  }

  /**
   * A region's part of the audiences that fell away from a level they held: the viewers of each
   * that could come back within a service's lead (at the speed they left, up to what they fell by)
   * by the share of its joins the region takes. A replica asked for when they show takes a node's
   * arrival and its start, while the relays resume from their warm pool in their warm boot: the
   * services keep room for them, as far as the pool could admit them, so a break's end finds its
   * chat, wallet and game. Worked out once per lead: a region's services mostly share theirs.
   */
  private final class Returns {
    private final String region;
    private final Map<String, MarketSplit> splits;
    private final Map<String, Fall> falls;
    private Map<Duration, Double> byLead;

    Returns(String region, Map<String, MarketSplit> splits, Map<String, Fall> falls) {
      this.region = region;
      this.splits = splits;
      this.falls = falls;
    }

    boolean none() {
      return falls.isEmpty();
    }

    double within(Duration lead) {
      if (falls.isEmpty()) {
        return 0;
      }
      if (byLead == null) {
        byLead = new HashMap<>();
      }
      return byLead.computeIfAbsent(
          lead,
          l -> {
            double back = 0;
            for (Map.Entry<String, Fall> e : falls.entrySet()) {
              MarketSplit split = splits.get(e.getKey());
              if (split != null) {
                back += split.viewersAllTurnedOver(region, e.getValue().backWithin(l));
              }
            }
            return back;
          });
    }

    /** The reason a service's room for the returns binds. */
    String words() {
      StringBuilder markets = new StringBuilder();
      for (Map.Entry<String, Fall> e : falls.entrySet()) {
        MarketSplit split = splits.get(e.getKey());
        if (split == null || split.joinShares().getOrDefault(region, 0.0) <= 0) {
          continue;
        }
        markets
            .append(markets.length() == 0 ? "" : ", ")
            .append(
                String.format(
                    Locale.ROOT,
                    "%s back from %,.0f to the %,.0f it held",
                    e.getKey(),
                    e.getValue().level(),
                    e.getValue().held()));
      }
      return "room for "
          + markets
          + " (as fast as it left) where the relays' warm pool admits them before a node arrives";
    }
  }

  /** {@code words} and then {@code more}; the same string when there is no more to say. */
  private static String then(String words, String more) {
    return more.isEmpty() ? words : words + more;
  }

  /**
   * The most viewers the region's relays can ever hold: a viewer reaches chat, wallet and game only
   * through a relay, so no service needs replicas for more than the relays' ceiling at full
   * capacity carries, with the viewers still on relays draining. A surge extrapolated past it (a
   * spike's forecast grows without bound) would otherwise launch nodes for viewers every relay
   * refuses. Unbounded where the relays' state was not read.
   */
  private double relaysCanHold(Observation obs, String region, double connected) {
    FleetSpec relay = catalog.get(FleetId.relay(region));
    FleetState relays = obs.fleets().get(relay.id());
    if (relays == null) {
      return Double.POSITIVE_INFINITY;
    }
    double capacity = relay.unitCapacity();
    double onDraining = Math.max(0, connected - relays.inService() * capacity);
    return relay.max() * capacity + onDraining;
  }

  /**
   * Every viewer the region's relays could hold once their warm pool is in service: the viewers
   * connected now, the room left on the relays in service and booting, and the pool's capacity. The
   * services whose configuration asks for it ({@code roomForRelayWarmPool}) are given replicas for
   * it at full utilization, and every service for the part of it an audience coming back would take
   * (this room covers the moments before the planner's own sizing, a node's arrival later, catches
   * up). A relay leaves the pool in its warm boot; a replica that needs a new node takes the node's
   * start and its own, longer.
   */
  private double admittableFromRelayWarmPool(Observation obs, String region, double connected) {
    FleetSpec relay = catalog.get(FleetId.relay(region));
    FleetState relays = obs.fleets().get(relay.id());
    if (relays == null) {
      return connected;
    }
    double fielded = (double) (relays.inService() + relays.pending()) * relay.unitCapacity();
    return Math.max(connected, fielded) + (double) relays.warm() * relay.unitCapacity();
  }

  private Proposal relay(
      Observation obs, FleetSpec spec, Map<String, MarketSplit> splits, Inherited inherited) {
    FleetState state = obs.fleets().get(spec.id());
    int warmNow = state == null ? 0 : state.warm();
    RegionDemand soon = regionViewers(obs, spec.id().region(), spec.warmBoot().plus(tick), splits);
    RegionDemand later = regionViewers(obs, spec.id().region(), spec.coldBoot().plus(tick), splits);
    int forWarm = withRoom(spec, spec.unitsFor(soon.viewers, utilization), inherited);
    int forLater = withRoom(spec, spec.unitsFor(later.viewers, utilization), inherited);
    // The pool stands in for cold launches only while it is left to resume later: the group takes
    // from its pool before it launches, so once a warm boot's need takes the pool whole, what a
    // cold boot ahead needs is launched now, as if there were none.
    int fielded = (state == null ? 0 : state.desired()) + warmNow;
    int forCold = forWarm >= fielded ? forLater : forLater - warmNow;
    RegionDemand binding = forCold > forWarm ? later : soon;
    int target = Math.max(forWarm, forCold);
    // Pre-warm: keep enough stopped instances for the growth beyond this boot horizon.
    RegionDemand ahead =
        regionViewers(obs, spec.id().region(), spec.coldBoot().plus(tick).multipliedBy(2), splits);
    int pool =
        Math.max(
            spec.warmPoolSize() + inherited.pool(),
            spec.unitsFor(ahead.viewers, utilization) - target);
    pool = Math.max(0, Math.min(pool, spec.max() - spec.clamp(target)));
    int scaleIn =
        Math.max(
            withRoom(spec, spec.unitsFor(soon.viewers, lowBand), inherited),
            withRoom(spec, spec.unitsFor(later.viewers, lowBand), inherited) - warmNow);
    String why = "forecast " + binding.describe() + inheritedWords(inherited);
    Optional<SentTraffic.Need> blind = sentTraffic.need(obs, spec, state);
    if (blind.isPresent() && blind.get().relays() > target) {
      target = blind.get().relays();
      why = blind.get().words();
    }
    int holding = holdingViewers(obs, spec.id().region(), state);
    String kept = "";
    if (handsOver(spec.id().region(), splits)) {
      kept = "; relays taken out ask their players to reconnect (the region breaks the SLO)";
    } else if (holding > Math.max(target, scaleIn)) {
      scaleIn = holding;
      kept =
          "; "
              + holding
              + " relays hold viewers (taken out, each would drain them, billed, until the last"
              + " leaves, and admit no one)";
    }
    return new Proposal(
        spec.id(),
        target,
        Math.max(target, scaleIn),
        spec.unitsFor(soon.level, lowBand),
        pool,
        why + kept,
        soon.surging || later.surging);
  }

  /** Whether a region's relays hand their viewers over when taken out ({@link MarketSplit}). */
  private static boolean handsOver(String region, Map<String, MarketSplit> splits) {
    for (MarketSplit split : splits.values()) {
      if (split.handsOver(region)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The relays in service a scale-in leaves alone: those the packing edge reports holding viewers
   * (no more than are in service). Packing gives such a relay joins only once the fuller relays are
   * at their target, so its viewers leave as they would while it drains: taken out, it would cost
   * the same until its last viewer left, and admit none of a crowd meanwhile. Only the empty go. 0
   * where the edge reports none (one that spreads joins, or a stale count): the scale-in then takes
   * the emptiest relays, draining those that hold viewers.
   */
  private int holdingViewers(Observation obs, String region, FleetState state) {
    Sample s = obs.metrics().relaysHoldingViewers().get(region);
    if (s == null || state == null || s.staleAt(obs.now(), config.scaling().staleAfter())) {
      return 0;
    }
    return (int) Math.min(state.inService(), Math.max(0, Math.floor(s.value())));
  }

  /**
   * A fleet's units for its own demand ({@code own}), with the room kept for the joins moved here
   * beside them: the room is viewers the relays the share left would have admitted at full
   * capacity, so it is kept at full capacity, on top of what the fleet's own plan leaves (its
   * target's headroom, its rounding and its floor), which a surge here meets as well. Folded into
   * the demand instead, it would vanish into that slack, which the surge takes first.
   */
  private static int withRoom(FleetSpec spec, int own, Inherited inherited) {
    int room = spec.unitsFor(inherited.headroom(), 1.0);
    return room == 0 ? own : Math.max(own, spec.min()) + room;
  }

  /** What a region's relays keep for the joins moved to it, in words; empty when nothing. */
  private String inheritedWords(Inherited inherited) {
    StringBuilder words = new StringBuilder();
    if (inherited.headroom() >= 1) {
      words.append(roomFor(inherited.headroom())).append(" in service");
    }
    if (inherited.pool() > 0) {
      words.append("; warm pool +").append(inherited.pool());
    }
    if (words.length() > 0) {
      words.append(movedHere());
    }
    return words.toString();
  }

  /** What a region's services keep for the joins moved to it, in words. */
  private String roomWords(double viewers) {
    return roomFor(viewers) + movedHere();
  }

  private static String roomFor(double viewers) {
    return String.format(Locale.ROOT, "; room for %,.0f more viewers", viewers);
  }

  private String movedHere() {
    return " for the " + routed.code() + " joins moved here";
  }

  /**
   * What a region keeps for the routed market on behalf of the regions its joins were moved from.
   * The first seconds of a surge land on the relays in service, the next minutes on the warm pool,
   * before cold launches arrive; with the configured weights a surge of the routed market meets
   * every serving region's spare relays and pools. When the weights (or a drain) take a region's
   * share away, what that share's surge could have used there goes with the joins, to the regions
   * that gained them, in proportion: the part of its pool, and (unless it is drained: its relays
   * are then kept for undrain, not for joins) the part of the room its own plan leaves on its
   * relays (the headroom of its target utilization, and its rounding), which the gaining regions
   * keep in service, on their relays and in their services (the viewers it admits need both), on
   * top of the room their own plans leave. Room its relays have only because they have not yet
   * scaled in to its plan is not counted: it goes. Nothing while the weights are as configured.
   *
   * @param pool warm relays
   * @param headroom viewers of room in service
   */
  private record Inherited(int pool, double headroom) {
    static final Inherited NONE = new Inherited(0, 0);
  }

  private Inherited inherited(Observation obs, String region, Map<String, MarketSplit> splits) {
    if (!configuredShares.containsKey(region)
        || !obs.weights().keySet().containsAll(configuredShares.keySet())) {
      return Inherited.NONE;
    }
    Set<String> drained = obs.control().drainedRegions();
    Map<String, Double> now = routing.shares(routed, obs.weights(), drained);
    double gained = Math.max(0, now.getOrDefault(region, 0.0) - configuredShares.get(region));
    if (gained == 0) {
      return Inherited.NONE;
    }
    double allGained = 0;
    double poolGivenUp = 0;
    double roomGivenUp = 0;
    for (Map.Entry<String, Double> e : configuredShares.entrySet()) {
      double share = now.getOrDefault(e.getKey(), 0.0);
      allGained += Math.max(0, share - e.getValue());
      if (share < e.getValue()) {
        double moved = (e.getValue() - share) / e.getValue();
        FleetSpec relay = catalog.get(FleetId.relay(e.getKey()));
        poolGivenUp += relay.warmPoolSize() * moved;
        if (!drained.contains(e.getKey())) {
          roomGivenUp += plannedRoom(obs, relay, splits) * moved;
        }
      }
    }
    double part = gained / allGained;
    return new Inherited((int) Math.ceil(poolGivenUp * part - 1e-9), roomGivenUp * part);
  }

  /**
   * Viewers a region's relays could still admit once sized to its own plan: the relays its demand a
   * warm boot ahead needs (no more than it has in service), less those watching. The plan is the
   * one where its viewers leave as fast as the quantile allows: what its own plan keeps for those
   * who may stay longer is theirs, not room for the joins.
   */
  private double plannedRoom(Observation obs, FleetSpec relay, Map<String, MarketSplit> splits) {
    FleetState state = obs.fleets().get(relay.id());
    if (state == null) {
      return 0;
    }
    String region = relay.id().region();
    int planned =
        relay.unitsFor(
            regionViewers(obs, region, relay.warmBoot().plus(tick), splits, true).viewers,
            utilization);
    return Math.max(
        0,
        (double) Math.min(state.inService(), planned) * relay.unitCapacity()
            - obs.metrics().viewersIn(region));
  }

  private List<Proposal> transcode(Observation obs, String region) {
    List<FleetSpec> configured = catalog.inRegion(region, FleetKind.TRANSCODE);
    if (configured.isEmpty()) {
      return List.of();
    }
    // A type EC2 has no capacity for keeps what it has and gets no more: the next type takes the
    // rest.
    List<FleetSpec> pools = FleetSizing.asEc2RunsThem(configured, obs.fleets());
    List<String> short_ = new ArrayList<>();
    for (FleetSpec p : configured) {
      if (FleetSizing.ec2HasNoMore(obs.fleets().get(p.id()))) {
        short_.add(p.id().name());
      }
    }
    FleetSpec preferred = pools.get(0);
    FleetState state = obs.fleets().get(preferred.id());
    Duration boot = state != null && state.warm() > 0 ? preferred.warmBoot() : preferred.coldBoot();
    Duration horizon = boot.plus(tick);
    Forecast streams = forecaster.forecast(SeriesKey.streams(region), obs.now(), horizon);
    // A stream takes one of an instance's streamsPerInstance ladder slots whole, and a GPU runs
    // all of them in real time: slots are planned full, with no utilization headroom (that is the
    // relays' queueing, which slots do not have). Streams are whole (a quantile of 10.004 streams
    // is 10). The headroom is free slots for the streams that may go live before a GPU could be
    // had back (a tick to see, a tick to act, a warm boot): streams go live independently of each
    // other, Poisson at the rate they went live over the stabilization window, at the forecast's
    // quantile. A region whose ladders are shortened also gets the slot its full ladder needs to
    // come back (LadderPlanner.RESTORE_SLOTS); without it, streams that exactly fill the slots
    // would stay shortened.
    Duration regain = preferred.regainTime(tick);
    double rate =
        forecaster.arrivalsPerSecond(
            SeriesKey.streams(region), config.scaling().scaleInStabilization());
    int spare =
        Math.max(
            config.scaling().spareTranscodeSlots(),
            Quantiles.poisson(rate * regain.toSeconds(), config.scaling().forecastQuantile()));
    boolean shortened =
        Optional.ofNullable(obs.control().ladders().get(region))
            .map(l -> !l.plan().full())
            .orElse(false);
    int restore = shortened ? LadderPlanner.RESTORE_SLOTS : 0;
    Map<FleetId, Integer> units =
        FleetSizing.transcodeUnits(pools, Math.round(streams.upper()) + spare + restore, 1.0);
    Map<FleetId, Integer> levelUnits = FleetSizing.transcodeUnits(pools, streams.level(), 1.0);
    String why =
        "forecast "
            + Grouped.of(streams.upper())
            + " streams at t+"
            + horizon.toSeconds()
            + "s ("
            + streams.basis()
            + ")"
            + (spare > 0
                ? String.format(
                    Locale.ROOT,
                    " + %d free slot%s for streams going live within %ds",
                    spare,
                    spare == 1 ? "" : "s",
                    regain.toSeconds())
                : "")
            + (restore > 0 ? " + " + restore + " for the full ladder to come back" : "")
            + (short_.isEmpty()
                ? ""
                : "; EC2 capacity shortage of "
                    + String.join(", ", short_)
                    + ": next type instead");
    List<Proposal> out = new ArrayList<>();
    for (FleetSpec p : pools) {
      out.add(
          new Proposal(
              p.id(),
              units.get(p.id()),
              units.get(p.id()),
              levelUnits.get(p.id()),
              p.warmPoolSize(),
              why));
    }
    return out;
  }

  private RegionDemand regionViewers(
      Observation obs, String region, Duration horizon, Map<String, MarketSplit> splits) {
    return regionViewers(obs, region, horizon, splits, false);
  }

  /**
   * A region's viewers over a horizon; {@code leavingFast}: with every market's departures at their
   * upper quantile ({@link MarketSplit#viewersLeavingFast}), not in the direction that asks more of
   * the region.
   */
  private RegionDemand regionViewers(
      Observation obs,
      String region,
      Duration horizon,
      Map<String, MarketSplit> splits,
      boolean leavingFast) {
    double viewers = 0;
    double level = 0;
    double top = -1;
    String basis = "trend";
    boolean surging = false;
    for (Market m : config.markets()) {
      MarketSplit split = splits.get(m.code());
      if (split == null
          || split.joinShares().getOrDefault(region, 0.0) <= 0
              && split.watching().getOrDefault(region, 0.0) <= 0) {
        continue;
      }
      Forecast f = forecaster.forecast(SeriesKey.viewers(m.code()), obs.now(), horizon);
      double part =
          leavingFast
              ? split.viewersLeavingFast(region, f.upper(), horizon)
              : split.viewers(region, f.upper(), horizon);
      if (f.surging()) {
        // The turnover measured over the last cold boot lags a surge (a smaller audience's, and
        // the joins are what the forecast is least sure of): a region a shift gives joins to is
        // ready for its share of the whole market, as if every session turned over too.
        part = Math.max(part, split.viewersAllTurnedOver(region, f.upper()));
      }
      viewers += part;
      level +=
          leavingFast
              ? split.viewersLeavingFast(region, f.level(), horizon)
              : split.viewers(region, f.level(), horizon);
      surging |= f.surging() && part > 0;
      if (part > top) {
        top = part;
        basis = m.code() + " " + f.basis();
      }
    }
    return new RegionDemand(viewers, level, horizon, basis, surging);
  }

  /**
   * A region's viewers over a horizon, and the words for it, made once: a region's hundreds of
   * services share a few of these a tick, and formatting a number is most of a reason's cost.
   */
  private static final class RegionDemand {
    final double viewers;
    final double level;
    final Duration horizon;
    final String basis;
    final boolean surging;
    private String words;
    private final String[] serviceReasons = new String[2];

    RegionDemand(double viewers, double level, Duration horizon, String basis, boolean surging) {
      this.viewers = viewers;
      this.level = level;
      this.horizon = horizon;
      this.basis = basis;
      this.surging = surging;
    }

    /**
     * This demand, or {@code least} viewers where more (those still connected, say), its basis
     * followed by {@code why}.
     */
    RegionDemand atLeast(double least, String why) {
      if (viewers >= least) {
        return this;
      }
      return new RegionDemand(least, Math.max(level, least), horizon, basis + why, surging);
    }

    /** This demand, no more than {@code most} viewers (what the relays can hold, said so). */
    RegionDemand atMost(double most) {
      if (viewers <= most) {
        return this;
      }
      return new RegionDemand(
          most,
          Math.min(level, most),
          horizon,
          basis + "; its relays hold at most " + Grouped.of(most),
          surging);
    }

    /** {@code 12,345 viewers at t+42s (IE trend)}. */
    String describe() {
      if (words == null) {
        words = Grouped.of(viewers) + " viewers at t+" + horizon.toSeconds() + "s (" + basis + ")";
      }
      return words;
    }

    /** A service's reason when this demand binds; {@code nodeFirst}: it waits for a new node. */
    String serviceReason(boolean nodeFirst) {
      int i = nodeFirst ? 1 : 0;
      if (serviceReasons[i] == null) {
        serviceReasons[i] =
            "forecast " + describe() + (nodeFirst ? ", the nodes full: a new node first" : "");
      }
      return serviceReasons[i];
    }
  }
}
