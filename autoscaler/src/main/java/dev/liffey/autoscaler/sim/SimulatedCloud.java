package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.FleetActuator;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Metrics;
import dev.liffey.autoscaler.engine.MetricsSource;
import dev.liffey.autoscaler.engine.RoutingActuator;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.autoscaler.sim.ScoreAccumulator.Cause;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Routing;
import dev.liffey.core.latency.LatencyModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The AWS edge, in-process: every fleet of the configuration, each region's EKS nodes under its
 * services ({@link SimCluster}), DNS weights that steer new joins {@link Routing#PROPAGATION} plus
 * the TTL after they are set, viewers as sticky sessions on the relays that admitted them ({@link
 * Audience}), and edge latency from {@link LatencyModel}. It replays a {@link Trace} one step at a
 * time and scores what it serves. The metrics it reports are what a real edge publishes about the
 * last completed 10 s metrics period ({@link Metrics#PERIOD}, aligned as CloudWatch aligns it),
 * whatever the tick: viewers connected at its end, and the distinct clients who tried to join and
 * were refused in it ({@link PeriodJoins}). A loop ticking faster reads a period more than once; a
 * step that crosses a period's end is served in two, so the period closes on time. A trace's bots
 * are published as a real edge publishes them: counted in the join attempts and refused as
 * unverified, never holding a slot. Not thread-safe.
 */
public final class SimulatedCloud
    implements MetricsSource, FleetActuator, WorkloadActuator, RoutingActuator, Clock {
  /**
   * How long a live viewer watches on average, where the trace does not say: live streams' average
   * view duration is in the tens of minutes; sessions end at random (exponentially), so a weight
   * change has moved about half the viewers after 10 minutes.
   */
  public static final int DEFAULT_SESSION_SECONDS = 900;

  /** {@link #DEFAULT_SESSION_SECONDS} as a duration. */
  public static final Duration DEFAULT_SESSION = Duration.ofSeconds(DEFAULT_SESSION_SECONDS);

  /**
   * What a viewer dropped by a relay that went away loses: the player notices the stream stopped (a
   * few seconds without media), then joins again (WHEP, ICE, DTLS, the first keyframe).
   */
  static final Duration REJOIN = Duration.ofSeconds(5);

  private final EdgeConfig config;

  /**
   * How soon a refused viewer tries again: what the edge agent tells it ({@code Retry-After: 2}).
   * Demand is served in steps no longer than this unless told otherwise, so retries, and capacity
   * that comes into service within a tick, are timed as on the edge. In steps of a 10 s tick, a
   * refused viewer waited 10 s and a relay that booted mid-tick served from the tick's end: 16%
   * more unserved viewer-seconds for Liffey over the suite, and never the double count of a viewer
   * refused and admitted within one period ({@code LateAdmissions}).
   */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  /** The longest step demand is served in. */
  private final Duration longestStep;

  private final Trace trace;
  private final Instant start;
  private final Audience audience;
  private final Map<FleetId, SimFleet> fleets = new LinkedHashMap<>();

  /** The relay groups among {@link #fleets}: their drains are stepped with the audience. */
  private final List<SimFleet> relayFleets = new ArrayList<>();

  private final Map<String, SimCluster> clusters = new HashMap<>();

  /** The ladders each region's transcoders were last told to give; none: the full ladder. */
  private final Map<String, LadderPlan> ladders = new HashMap<>();

  private final TreeMap<Instant, Map<String, Integer>> weightHistory = new TreeMap<>();
  private final ScoreAccumulator score;
  private final LatencyModel latency;

  /** The report's p95: to within 2000 / 2^16 ms. */
  private static final double P95_TOLERANCE_MILLIS = 2_000 / 65_536.0;

  private final Map<String, Double> egressUsdPerGb = new HashMap<>();

  /** What each region's relays sent since {@link #sentMinuteStart}, in Mbit, and over how long. */
  private final Map<String, Double> sentMbit = new HashMap<>();

  private double sentSeconds;
  private Instant sentMinuteStart;

  /** The last whole minute's {@link Metrics#relaysSentMbps}: none before a minute has passed. */
  private Map<String, Sample> sentMbps = Map.of();

  private final Duration dnsDelay;
  private Instant now;
  private Map<String, Integer> weights;
  private long weightChanges;
  private Metrics lastMetrics;

  /**
   * The last step per region, its latency p95 left for {@link #lastSteps} to work out when asked.
   */
  private final List<ServedStep> lastSteps = new ArrayList<>();

  /** The join counts of the metrics period under way. */
  private final PeriodJoins periodJoins = new PeriodJoins();

  /** Every market-region a market is served on: the keys the edge counts joins under. */
  private final List<MarketRegion> served = new ArrayList<>();

  /** Each region's pack target, worked out again when its incident's added latency changes. */
  private final Map<String, PackTarget> packTargets = new HashMap<>();

  public SimulatedCloud(EdgeConfig config, Trace trace, Instant start) {
    this(config, trace, start, null);
  }

  /**
   * @param longestStep serve demand in steps no longer than this (null: {@link #RETRY_AFTER}):
   *     capacity serves from the step after it comes into service, and a refused viewer tries again
   *     once a step
   */
  public SimulatedCloud(EdgeConfig config, Trace trace, Instant start, Duration longestStep) {
    this.longestStep = longestStep == null ? RETRY_AFTER : longestStep;
    this.config = config;
    this.trace = trace;
    this.start = start;
    this.now = start;
    this.sentMinuteStart = Metrics.sentPeriodStart(start);
    config.regions().forEach(r -> clusters.put(r.id(), new SimCluster(r.eks())));
    for (FleetSpec spec : new FleetCatalog(config).all()) {
      // Relays drain their viewers on a scale-in (the lifecycle hook); the rest go at once.
      Duration drain =
          spec.id().kind() == FleetKind.RELAY
              ? config.region(spec.id().region()).relay().drainTimeout()
              : Duration.ZERO;
      SimCluster nodes =
          spec.id().kind() == FleetKind.SERVICE ? clusters.get(spec.id().region()) : null;
      double reconnecting =
          spec.id().kind() == FleetKind.RELAY
              ? config.region(spec.id().region()).relay().reconnectingPlayers()
              : 0;
      SimFleet fleet = new SimFleet(spec, drain, reconnecting, nodes);
      fleets.put(spec.id(), fleet);
      if (spec.id().kind() == FleetKind.RELAY) {
        relayFleets.add(fleet);
      }
    }
    this.weights = Map.copyOf(config.routing().initialWeights());
    this.weightHistory.put(Instant.MIN, weights);
    this.dnsDelay = config.routing().steersAfter();
    this.audience = new Audience(config);
    this.latency = new LatencyModel(config.media().jitterMillis());
    this.score = new ScoreAccumulator(latency);
    config.regions().forEach(r -> egressUsdPerGb.put(r.id(), r.egressUsdPerGb()));
    config
        .markets()
        .forEach(
            m -> m.servedBy().forEach(s -> served.add(new MarketRegion(m.code(), s.regionId()))));
    audience.settle(viewersAt(0), capacities(FleetKind.RELAY), weights);
    audience.bots(botsAt(0), weights);
    countJoins();
    closePeriod(0);
  }

  // ---- Clock, MetricsSource

  @Override
  public Instant now() {
    return now;
  }

  public Instant start() {
    return start;
  }

  @Override
  public Metrics read() {
    return lastMetrics;
  }

  // ---- FleetActuator, WorkloadActuator, RoutingActuator

  @Override
  public List<FleetState> fleets() {
    return states(false);
  }

  @Override
  public List<FleetState> services() {
    return states(true);
  }

  private List<FleetState> states(boolean services) {
    List<FleetState> out = new ArrayList<>();
    fleets.values().stream()
        .filter(f -> (f.spec.id().kind() == FleetKind.SERVICE) == services)
        .forEach(f -> out.add(f.state()));
    return out;
  }

  @Override
  public Optional<String> setCapacity(FleetId fleet, int desired, int warmPoolSize) {
    SimFleet f = fleet(fleet);
    f.setCapacity(desired, warmPoolSize, now);
    return Optional.empty();
  }

  @Override
  public void setReplicas(FleetId service, int replicas) {
    fleet(service).setCapacity(replicas, 0, now);
  }

  /**
   * The ladders a policy chose: the region's transcoders apply them from the next step (their
   * agents read the plan within a tick).
   */
  public void applyLadders(List<LadderPlan> plans) {
    plans.forEach(p -> ladders.put(p.region(), p));
  }

  @Override
  public Map<String, Integer> weights() {
    return weights;
  }

  @Override
  public void setWeights(Map<String, Integer> newWeights) {
    if (!newWeights.equals(weights)) {
      weights = Map.copyOf(newWeights);
      weightHistory.put(now, weights);
      weightChanges++;
    }
  }

  private SimFleet fleet(FleetId id) {
    SimFleet f = fleets.get(id);
    if (f == null) {
      throw new IllegalArgumentException("no fleet " + id + " in the simulated cloud");
    }
    return f;
  }

  // ---- driving the simulation

  /**
   * Puts every fleet straight into service at the given units, and the trace's first audience on
   * them, as if it had been running.
   */
  public void startWith(Map<FleetId, Integer> units) {
    units.forEach((id, n) -> fleet(id).startWith(n));
    Map<String, Integer> replicas = new HashMap<>();
    fleets.values().stream()
        .filter(f -> f.spec.id().kind() == FleetKind.SERVICE)
        .forEach(f -> replicas.merge(f.spec.id().region(), f.inService(), Integer::sum));
    clusters.forEach((region, nodes) -> nodes.startWith(replicas.getOrDefault(region, 0)));
    audience.settle(
        viewersAt(elapsedSeconds()), capacities(FleetKind.RELAY), effectiveWeights(now));
    packRelays(Map.of(), elapsedSeconds());
    audience.bots(botsAt(elapsedSeconds()), effectiveWeights(now));
    periodJoins.reset();
    countJoins();
    closePeriod(elapsedSeconds());
  }

  /** The weights resolvers act on at {@code t}: those set at least the DNS delay before it. */
  public Map<String, Integer> effectiveWeights(Instant t) {
    return weightHistory.floorEntry(t.minus(dnsDelay)).getValue();
  }

  /** Seconds since the trace's start. */
  public double elapsedSeconds() {
    return Duration.between(start, now).toMillis() / 1000.0;
  }

  /**
   * Serves the demand of [now, now + dt), in as many steps as the metrics periods it crosses (each
   * with the capacity in service as it begins), and publishes each period that ends in it.
   */
  public void step(Duration dt) {
    Instant end = now.plus(dt);
    while (now.isBefore(end)) {
      Instant periodEnd = Metrics.periodStart(now).plus(Metrics.PERIOD);
      Instant until = periodEnd.isBefore(end) ? periodEnd : end;
      if (now.plus(longestStep).isBefore(until)) {
        until = now.plus(longestStep);
      }
      double t = elapsedSeconds();
      serve(Duration.between(now, until));
      if (!now.isBefore(periodEnd)) {
        closePeriod(t);
      }
    }
  }

  /** The counts of the step just served join the period's. */
  private void countJoins() {
    periodJoins.add(served, audience::attempts, audience::refused, audience::unverified);
  }

  /** What the edge publishes about the period that ended now; the next one begins. */
  private void closePeriod(double t) {
    lastMetrics = measure(t);
    periodJoins.reset();
  }

  /**
   * Serves the demand of [now, now + dt) with the capacity in service now, then moves time on:
   * sessions end and turn over, capacity that went away drops its viewers, everyone else who wants
   * to watch tries to join (by the weights in force, or where it was refused while its cached DNS
   * answer holds), and the relays' free slots admit whom they can.
   */
  private void serve(Duration dt) {
    double t = elapsedSeconds();
    double seconds = dt.toMillis() / 1000.0;
    Map<String, Double> viewersByMarket = viewersAt(t);
    Map<String, Integer> inEffect = effectiveWeights(now);
    double totalViewers = viewersByMarket.values().stream().mapToDouble(Double::doubleValue).sum();
    score.peakViewers = Math.max(score.peakViewers, totalViewers);

    shortages(t);
    Map<String, Double> relays = capacities(FleetKind.RELAY);
    audience.slow(slowByIncident(t));
    Map<String, Double> draining = new HashMap<>();
    Map<String, Double> reconnecting = new HashMap<>();
    Map<String, Double> cut = new HashMap<>();
    for (SimFleet f : relayFleets) {
      draining.put(f.spec.id().region(), f.drainingViewers());
      reconnecting.put(f.spec.id().region(), f.reconnectingViewers());
      cut.put(f.spec.id().region(), f.takeCut());
    }
    Audience.Step served =
        audience.step(
            viewersByMarket, relays, draining, reconnecting, cut, inEffect, seconds, sessions(t));
    for (SimFleet f : relayFleets) {
      String region = f.spec.id().region();
      f.turnOver(served.retained(region));
      f.reconnected(served.reconnected().getOrDefault(region, 0.0));
    }
    packRelays(served.retained(), t);
    audience.bots(botsAt(t), inEffect);
    countJoins();
    score.unserved(Cause.NO_RELAY_SLOT, served.waiting() * seconds);
    score.unserved(Cause.DROPPED, served.dropped() * REJOIN.toMillis() / 1000.0);
    Map<String, Double> load = audience.loadByRegion();
    lastSteps.clear();
    double notTranscoded = 0;
    for (String region : config.regionIds()) {
      double capacity = relays.get(region);
      double connected = load.get(region);
      double refused = 0;
      for (Market m : config.markets()) {
        refused += audience.refused(new MarketRegion(m.code(), region));
      }
      double utilization = relayUtilization(region, connected);
      double penalty = trace.valueAt(TraceKind.LATENCY, region, t);
      double streams = trace.valueAt(TraceKind.STREAMS, region, t);
      Transcoding transcoding =
          Transcoding.of(streams, capacity(region, FleetKind.TRANSCODE), ladders.get(region));
      double untranscoded = transcoding.waiting();
      score.unservedStreamSeconds += untranscoded * seconds;
      score.degradedStreamSeconds += transcoding.shortened() * seconds;
      // Viewers spread evenly over the region's live streams, and a stream reaches the relays only
      // through
      // the region's transcoders: the viewers of the streams above their capacity have nothing to
      // watch.
      double transcodedShare = streams > 0 ? 1 - untranscoded / streams : 1;
      double price = egressUsdPerGb.get(region);
      double withoutStream = 0;
      for (Market m : config.markets()) {
        MarketRegion key = new MarketRegion(m.code(), region);
        double viewers = audience.connected(key);
        if (viewers > 0) {
          double nothingToWatch = viewers * (1 - transcodedShare);
          withoutStream += nothingToWatch;
          notTranscoded += nothingToWatch * seconds;
          double watched = viewers * transcodedShare * seconds;
          LatencyModel.Distribution d = latency.at(base(m, region) + penalty, utilization);
          score.served(watched, d, config.scaling().latencySloMillis());
          score.egressUsd += config.media().gigabytes(watched) * price;
          sentMbit.merge(region, watched * config.media().viewerBitrateMbps(), Double::sum);
          double stuck = audience.stuck(key);
          if (stuck > 0) {
            // However empty the relays, the incident's latency and the network's jitter leave this
            // share slow.
            double unavoidable =
                latency.at(base(m, region) + penalty, 0).tail(config.scaling().latencySloMillis());
            score.slowFloorViewerSeconds += stuck * transcodedShare * seconds * unavoidable;
          }
        }
      }
      lastSteps.add(
          new ServedStep(
              t,
              region,
              connected + refused,
              refused,
              capacity,
              penalty,
              utilization,
              withoutStream));
      for (SimFleet f : fleets.values()) {
        if (f.spec.id().region().equals(region) && f.spec.id().kind() == FleetKind.SERVICE) {
          double beyond = connected - (double) f.inService() * f.spec.unitCapacity();
          // The connected viewers are a sum of flows: a rounding residue past a full service's
          // capacity (1e-12 of a viewer) is no viewer, and would make any ratio to it absurd.
          if (beyond > connected * Ratio.SAME) {
            score.unservedServiceViewerSeconds += beyond * seconds;
          }
        }
      }
    }
    score.unserved(Cause.STREAM_NOT_TRANSCODED, notTranscoded);
    for (SimFleet f : fleets.values()) {
      double c = f.costUsd(dt);
      score.costUsd += c;
      score.costByKind.merge(f.spec.id().kind(), c, Double::sum);
      if (f.spec.id().kind() == FleetKind.RELAY) {
        score.relayInstanceHours += f.lastRunningHours();
      }
    }

    sentSeconds += seconds;
    now = now.plus(dt);
    closeSentMinute();
    clusters.values().forEach(c -> c.advance(now));
    fleets.values().forEach(f -> f.advance(now));
  }

  /**
   * Once a step ends past the minute it began in, that minute's average rate of what each region's
   * relays sent is what EC2 publishes (its {@code NetworkOut}, detailed monitoring), stamped at the
   * minute's end: the viewers they held and whose stream was transcoded, at the configured bitrate.
   */
  private void closeSentMinute() {
    Instant minuteEnd = sentMinuteStart.plus(Metrics.SENT_PERIOD);
    if (now.isBefore(minuteEnd)) {
      return;
    }
    Map<String, Sample> sent = new HashMap<>();
    for (String region : config.regionIds()) {
      sent.put(region, new Sample(sentMbit.getOrDefault(region, 0.0) / sentSeconds, minuteEnd));
    }
    sentMbps = Map.copyOf(sent);
    sentMbit.clear();
    sentSeconds = 0;
    sentMinuteStart = Metrics.sentPeriodStart(now);
  }

  /**
   * What the edge reports about the period that ends now (its last step began {@code t} seconds
   * after the start), stamped now: viewers connected, the joins each region saw and refused in the
   * period, and the latency probes measure.
   */
  private Metrics measure(double t) {
    Map<String, Double> load = audience.loadByRegion();
    // How many relays published in the period read, stamped at its start: those holding viewers
    // that were in service when it began, as many whole ones as the trace's share allows. Those
    // that came into service since (every scale-out's arrivals) have not published in it yet. A
    // region none of whose relays published (where the trace silences some) has no datapoint at
    // all: CloudWatch returns an empty series, which every reader sees as missing, not as a count
    // of 0. The counts are what the relays that published hold, each as full as the rest of those
    // in service when the period began; those that came into service since hold no one yet (only
    // who joined them in their first seconds).
    Map<String, Sample> reporting = new HashMap<>();
    Map<String, Double> countedShare = new HashMap<>();
    Set<String> unheard = new HashSet<>();
    Set<String> silenced = trace.keys(TraceKind.PUBLISHING);
    Instant periodStart = now.minus(Metrics.PERIOD);
    for (String region : config.regionIds()) {
      SimFleet relays = fleet(FleetId.relay(region));
      double there = relays.holding() - relays.arrivedAfter(periodStart);
      // As many whole relays as the share allows: a share that is not a whole number of relays
      // would make the counts disagree with how many relays said they published.
      double published = published(there, region, t).value();
      countedShare.put(region, there <= 0 ? publishing(region, t) : published / there);
      if (published < 1 && silenced.contains(region)) {
        unheard.add(region);
      } else {
        reporting.put(region, new Sample(published, periodStart));
      }
    }
    Set<String> missing = new TreeSet<>();
    Map<MarketRegion, Sample> viewers = new HashMap<>();
    Map<MarketRegion, Sample> following = new HashMap<>();
    Map<MarketRegion, Sample> latency = new HashMap<>();
    Map<MarketRegion, Sample> joinLatency = new HashMap<>();
    Map<String, Double> joinUtilization = new HashMap<>();
    Map<MarketRegion, Sample> attempts = new HashMap<>();
    Map<MarketRegion, Sample> rejected = new HashMap<>();
    Map<MarketRegion, Sample> unverified = new HashMap<>();
    Map<String, Sample> streams = new HashMap<>();
    for (Market m : config.markets()) {
      for (Market.ServedBy s : m.servedBy()) {
        String region = s.regionId();
        MarketRegion key = new MarketRegion(m.code(), region);
        double published = countedShare.get(region);
        if (unheard.contains(region)) {
          missing.add("viewers " + key.market() + "@" + region + " (no relay published)");
        } else {
          double watching = audience.connected(key) * published;
          viewers.put(key, new Sample(watching, now));
          // Each relay counts its viewers whose players subscribed to the reconnect event: the
          // world's share of them (relay.reconnectingPlayers) follow it.
          following.put(
              key, new Sample(watching * config.region(region).relay().reconnectingPlayers(), now));
        }
        // Bots try to join as viewers do: the edge counts them among the attempts.
        // Nobody counted a join where no relay published.
        double heard = unheard.contains(region) ? 0 : published;
        double tried = (periodJoins.attempts(key) + periodJoins.bots(key)) * heard;
        if (tried > 0) {
          attempts.put(key, new Sample(tried, now));
        }
        double full = periodJoins.refused(key) * heard;
        if (full > 0) {
          rejected.put(key, new Sample(full, now));
        }
        double forged = periodJoins.bots(key) * heard;
        if (forged > 0) {
          unverified.put(key, new Sample(forged, now));
        }
        // Probes measure every candidate region, routed to or not, and the edge publishes their p95
        // (EdgeLatencyP95): the latency the slowest 5% of viewers there would have.
        double offset = s.baseLatencyMillis() + trace.valueAt(TraceKind.LATENCY, region, t);
        latency.put(key, p95At(offset, relayUtilization(region, load.get(region))));
        // The relays taking joins publish their own viewers' p95 too (JoinLatencyP95): what a
        // join would get, without the viewers who stay on relays that were full. One figure a
        // region, whichever of its markets asks.
        double joining =
            unheard.contains(region)
                ? Double.NaN
                : joinUtilization.computeIfAbsent(
                    region,
                    r ->
                        fleet(FleetId.relay(r))
                            .joinUtilization(
                                packTarget(r, trace.valueAt(TraceKind.LATENCY, r, t))));
        if (!Double.isNaN(joining)) {
          joinLatency.put(key, p95At(offset, joining));
        }
      }
    }
    for (String region : config.regionIds()) {
      streams.put(region, new Sample(trace.valueAt(TraceKind.STREAMS, region, t), now));
    }
    // The packing edge's relays in service that hold a viewer, as many as publish.
    Map<String, Sample> holdingViewers = new HashMap<>();
    for (String region : config.regionIds()) {
      if (!unheard.contains(region)) {
        holdingViewers.put(
            region, published(fleet(FleetId.relay(region)).inServiceHoldingViewers(), region, t));
      }
    }
    return new Metrics(
        now,
        Map.copyOf(viewers),
        Map.copyOf(latency),
        Map.copyOf(streams),
        Map.copyOf(attempts),
        Map.copyOf(rejected),
        Map.copyOf(unverified),
        Map.of(),
        Set.copyOf(missing),
        Map.copyOf(reporting),
        Map.copyOf(holdingViewers),
        sentMbps,
        Map.copyOf(joinLatency),
        Map.copyOf(following));
  }

  /**
   * A count of {@code relays}, each adding 1 if it publishes at {@code t}, as CloudWatch sums it.
   */
  private Sample published(double relays, String region, double t) {
    return new Sample(Math.floor(relays * publishing(region, t)), now);
  }

  /** The p95 of viewers {@code offsetMillis} away on relays at {@code utilization}, sampled now. */
  private Sample p95At(double offsetMillis, double utilization) {
    return new Sample(latency.at(offsetMillis, utilization).p95Millis(), now);
  }

  /**
   * The share of {@code region}'s relays publishing their counts at {@code t}: all, unless the
   * trace says otherwise.
   */
  private double publishing(String region, double t) {
    return trace.setAt(TraceKind.PUBLISHING, region, t).orElse(1.0);
  }

  /**
   * The relays' viewers as the packing edge places them after a step in which each region kept
   * {@code retained} of its sessions (absent: all): those on each region's relays in service, that
   * is its audience less its draining relays' viewers, packed to {@link #packTarget}.
   */
  private void packRelays(Map<String, Double> retained, double t) {
    Map<String, Double> load = audience.loadByRegion();
    for (SimFleet f : relayFleets) {
      String region = f.spec.id().region();
      f.settle(
          Math.max(0, load.get(region) - f.drainingViewers()),
          retained.getOrDefault(region, 1.0),
          packTarget(region, trace.valueAt(TraceKind.LATENCY, region, t)));
    }
  }

  /**
   * The viewers a relay of {@code region} is filled to before the next takes any: the agent's
   * {@code --pack-to} (what a relay holds at the target utilization), unless its viewers' latency
   * p95 would pass the calm band sooner, where the agent stops taking passed joins. The relay's
   * viewers are taken as the region's farthest market's (the most a relay's p95 can be), with the
   * incident's added latency. With that above the calm band on an empty relay, every relay is past
   * it, the latency tells none apart, and the agent packs by the count alone.
   */
  double packTarget(String region, double penaltyMillis) {
    PackTarget cached = packTargets.get(region);
    if (cached != null && cached.penaltyMillis() == penaltyMillis) {
      return cached.viewers();
    }
    SimFleet relays = fleet(FleetId.relay(region));
    double calm = config.scaling().calmLatencyMillis();
    double farthest = 0;
    for (Market m : config.markets()) {
      farthest = Math.max(farthest, base(m, region)); // 0 where the market is not served there
    }
    double offset = farthest + penaltyMillis;
    double viewers = config.region(region).relay().packTo(config.scaling().targetUtilization());
    if (latency.at(offset, 0).p95Millis() <= calm) {
      double lo = 0;
      double hi = LatencyModel.OVERLOAD_UTILIZATION;
      while (hi - lo > 1e-4) {
        double mid = (lo + hi) / 2;
        if (latency.at(offset, mid).p95Millis() <= calm) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      viewers = Math.min(viewers, lo * relays.spec.unitCapacity());
    }
    packTargets.put(region, new PackTarget(penaltyMillis, viewers));
    return viewers;
  }

  /** A region's pack target at an incident's added latency. */
  private record PackTarget(double penaltyMillis, double viewers) {}

  /**
   * The utilization of the relay the average viewer of {@code region} is on ({@code connected}
   * viewers there): on a packed edge, the target's, not the region's average.
   */
  private double relayUtilization(String region, double connected) {
    SimFleet relays = fleet(FleetId.relay(region));
    double capacity = (double) relays.holding() * relays.spec.unitCapacity();
    if (capacity <= 0) {
      return connected > 0 ? Double.POSITIVE_INFINITY : 0;
    }
    if (connected <= 0) {
      return 0;
    }
    return relays.viewerSquares() / relays.spec.unitCapacity() / connected;
  }

  /** How long each market's viewers watch at {@code t}, as the trace has it. */
  private Map<String, SessionLength> sessions(double t) {
    Map<String, SessionLength> out = new HashMap<>();
    for (Market m : config.markets()) {
      out.put(m.code(), trace.session(m.code(), t));
    }
    return out;
  }

  /**
   * How many instances of each GPU type EC2 can run in each region at {@code t}: the trace's
   * shortages.
   */
  private void shortages(double t) {
    for (SimFleet f : fleets.values()) {
      if (f.spec.id().kind() == FleetKind.TRANSCODE) {
        f.available(trace.gpuAvailable(f.spec.id().region(), f.spec.id().name(), t));
      }
    }
  }

  /**
   * Market-regions an incident has added latency to (a trace's {@code latency} rows), which no
   * policy controls: the viewers there are slow by as much as the added latency makes them, however
   * empty the relays.
   */
  private java.util.Set<MarketRegion> slowByIncident(double t) {
    java.util.Set<MarketRegion> out = new java.util.HashSet<>();
    for (Market m : config.markets()) {
      for (Market.ServedBy s : m.servedBy()) {
        if (trace.valueAt(TraceKind.LATENCY, s.regionId(), t) > 0) {
          out.add(new MarketRegion(m.code(), s.regionId()));
        }
      }
    }
    return out;
  }

  private Map<String, Double> capacities(FleetKind kind) {
    Map<String, Double> out = new HashMap<>();
    config.regionIds().forEach(r -> out.put(r, capacity(r, kind)));
    return out;
  }

  private Map<String, Double> botsAt(double t) {
    Map<String, Double> out = new HashMap<>();
    for (String market : trace.keys(TraceKind.BOTS)) {
      out.put(market, trace.valueAt(TraceKind.BOTS, market, t));
    }
    return out;
  }

  private Map<String, Double> viewersAt(double t) {
    Map<String, Double> out = new HashMap<>();
    for (Market m : config.markets()) {
      out.put(m.code(), trace.valueAt(TraceKind.VIEWERS, m.code(), t));
    }
    return out;
  }

  private double capacity(String region, FleetKind kind) {
    double c = 0;
    for (SimFleet f : fleets.values()) {
      if (f.spec.id().region().equals(region) && f.spec.id().kind() == kind) {
        c += (double) f.inService() * f.spec.unitCapacity();
      }
    }
    return c;
  }

  /**
   * The edge latency p95 of the viewers connected to {@code region} in the step just served, NaN
   * when none are: each market's viewers there at the latency {@link LatencyModel} gives them, as
   * the scorecard counts them. The one place the report's latency comes from.
   */
  private double latencyP95Millis(String region, double penaltyMillis, double utilization) {
    List<LatencyModel.Distribution> dists = new ArrayList<>();
    List<Double> viewers = new ArrayList<>();
    for (Market m : config.markets()) {
      double connected = audience.connected(new MarketRegion(m.code(), region));
      if (connected > 0) {
        dists.add(latency.at(base(m, region) + penaltyMillis, utilization));
        viewers.add(connected);
      }
    }
    if (dists.isEmpty()) {
      return Double.NaN;
    }
    return LatencyModel.exceeded(
        dists.toArray(LatencyModel.Distribution[]::new),
        viewers.stream().mapToDouble(Double::doubleValue).toArray(),
        LatencyModel.P95_SHARE,
        P95_TOLERANCE_MILLIS);
  }

  private static int base(Market m, String region) {
    return m.servedBy().stream()
        .filter(s -> s.regionId().equals(region))
        .findFirst()
        .map(Market.ServedBy::baseLatencyMillis)
        .orElse(0);
  }

  /**
   * The scorecard so far. Its {@code botCapacityInstanceHours} is 0: what bots cost is counted
   * against a second run without them ({@link Simulation.Prepared#scorecard}), which one cloud
   * cannot make.
   */
  public Scorecard scorecard(String policy) {
    return scorecard(policy, 0);
  }

  /** The scorecard so far, with the relay capacity bought for bots as counted elsewhere. */
  Scorecard scorecard(String policy, double botCapacityInstanceHours) {
    long actions = weightChanges + fleets.values().stream().mapToLong(SimFleet::changes).sum();
    return score.toScorecard(policy, actions, botCapacityInstanceHours);
  }

  /**
   * What each region served in the last step (asked between steps, as the audience stands after
   * it).
   */
  public List<RegionStep> lastSteps() {
    return lastSteps.stream()
        .map(
            s ->
                new RegionStep(
                    s.t,
                    s.region,
                    s.viewers,
                    s.refused,
                    s.capacity,
                    latencyP95Millis(s.region, s.penaltyMillis, s.utilization),
                    s.withoutStream))
        .toList();
  }

  /**
   * A region's step as served; only reports chart its latency, so its p95 is not worked out every
   * step.
   */
  private record ServedStep(
      double t,
      String region,
      double viewers,
      double refused,
      double capacity,
      double penaltyMillis,
      double utilization,
      double withoutStream) {}

  /**
   * The relay instance-hours billed at the running price so far, every region: in service, booting,
   * draining, refilling the warm pool, and the first minute of launches cancelled before it.
   */
  public double relayInstanceHours() {
    return score.relayInstanceHours;
  }

  /** Cost so far per kind of fleet (relays, transcoders, services). */
  public Map<FleetKind, Double> costByKind() {
    return Map.copyOf(score.costByKind);
  }

  public Trace trace() {
    return trace;
  }
}
