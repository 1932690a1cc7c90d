package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.autoscaler.engine.plan.FleetSizing;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The baseline platform teams run today, as EC2 Auto Scaling target tracking behaves: one-minute
 * average utilization; scale out when {@value #SCALE_OUT_MINUTES} consecutive minutes are above the
 * target, scale in when {@value #SCALE_IN_MINUTES} consecutive minutes are below 90% of it; new
 * capacity = ceil(in service x utilization / target); no scale-in while instances warm up or within
 * the {@link #SCALE_IN_COOLDOWN}; fixed routing weights. Same fleets, warm pools and target as Liffey.
 */
public final class TargetTrackingPolicy implements ScalingPolicy {
  public static final String NAME = "target-tracking";
  static final int SCALE_OUT_MINUTES = 3;
  static final int SCALE_IN_MINUTES = 15;
  static final Duration SCALE_IN_COOLDOWN = Duration.ofMinutes(5);

  private final EdgeConfig config;
  private final FleetCatalog catalog;
  private final double target;
  private final Map<String, Tracker> trackers = new HashMap<>();

  public TargetTrackingPolicy(EdgeConfig config) {
    this.config = config;
    this.catalog = new FleetCatalog(config);
    this.target = config.scaling().targetUtilization();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decision decide(Observation obs) {
    List<FleetPlan> plans = new ArrayList<>();
    for (String region : config.regionIds()) {
      double viewers = RegionDemand.viewers(obs, region);
      for (FleetSpec spec : catalog.inRegion(region, FleetKind.RELAY)) {
        plans.add(track(obs, spec.id().toString(), List.of(spec), viewers, "viewers"));
      }
      plans.addAll(trackGroups(obs, region, catalog.inRegion(region, FleetKind.TRANSCODE),
          RegionDemand.streams(obs, region)));
      for (FleetSpec spec : catalog.inRegion(region, FleetKind.SERVICE)) {
        plans.add(track(obs, spec.id().toString(), List.of(spec), viewers, "viewers"));
      }
    }
    return new Decision(obs.now(), NAME, plans, Optional.empty());
  }

  private FleetPlan track(Observation obs, String key, List<FleetSpec> specs, double demand, String unit) {
    FleetSpec spec = specs.get(0);
    FleetState state = obs.fleets().get(spec.id());
    int desired = state.desired();
    Tracker t = trackers.computeIfAbsent(key, k -> new Tracker());
    t.sample(obs.now(), demand, (double) state.inService() * spec.unitCapacity());
    int next = desired;
    String why = "";
    if (t.minuteClosed) {
      int wanted = spec.clamp(spec.unitsFor(t.lastMinuteDemand, target));
      if (t.highMinutes >= SCALE_OUT_MINUTES && wanted > desired) {
        next = wanted;
        why = String.format(Locale.ROOT, "utilization %.0f%% > %.0f%% for %d min", t.lastMinuteUtilization * 100,
            target * 100, t.highMinutes);
      } else if (t.lowMinutes >= SCALE_IN_MINUTES && wanted < desired && state.pending() == 0
          && !t.lastScaleIn.plus(SCALE_IN_COOLDOWN).isAfter(obs.now())) {
        next = wanted;
        t.lastScaleIn = obs.now();
        why = String.format(Locale.ROOT, "utilization %.0f%% < %.0f%% for %d min", t.lastMinuteUtilization * 100,
            target * 90, t.lowMinutes);
      }
    }
    String reason = next == desired ? "hold " + spec.id() + " at " + desired
        : (next > desired ? "scale out " : "scale in ") + spec.id() + " " + desired + "→" + next + ": " + why
            + String.format(Locale.ROOT, " (%,.0f %s)", t.lastMinuteDemand, unit);
    return new FleetPlan(spec.id(), desired, next, spec.warmPoolSize(), reason);
  }

  /** GPU groups track together: one utilization over their capacity, new capacity filled by preference. */
  private List<FleetPlan> trackGroups(Observation obs, String region, List<FleetSpec> pools, double streams) {
    double capacity = 0;
    double desiredStreams = 0;
    for (FleetSpec p : pools) {
      FleetState s = obs.fleets().get(p.id());
      capacity += (double) s.inService() * p.unitCapacity();
      desiredStreams += (double) s.desired() * p.unitCapacity();
    }
    Tracker t = trackers.computeIfAbsent("transcode " + region, k -> new Tracker());
    t.sample(obs.now(), streams, capacity);
    boolean out = t.minuteClosed && t.highMinutes >= SCALE_OUT_MINUTES && t.lastMinuteDemand > desiredStreams * target;
    boolean in = t.minuteClosed && t.lowMinutes >= SCALE_IN_MINUTES
        && !t.lastScaleIn.plus(SCALE_IN_COOLDOWN).isAfter(obs.now());
    Map<FleetId, Integer> units = out || in ? FleetSizing.transcodeUnits(pools, t.lastMinuteDemand, target) : Map.of();
    List<FleetPlan> plans = new ArrayList<>();
    for (FleetSpec p : pools) {
      FleetState s = obs.fleets().get(p.id());
      int next = units.getOrDefault(p.id(), s.desired());
      if (in && next > s.desired() || out && next < s.desired()) {
        next = s.desired();
      }
      if (in && next < s.desired()) {
        t.lastScaleIn = obs.now();
      }
      plans.add(new FleetPlan(p.id(), s.desired(), next, p.warmPoolSize(), next == s.desired()
          ? "hold " + p.id() + " at " + s.desired()
          : (next > s.desired() ? "scale out " : "scale in ") + p.id() + " " + s.desired() + "→" + next
              + String.format(Locale.ROOT, ": streams utilization %.0f%% vs %.0f%% target",
                  t.lastMinuteUtilization * 100, target * 100)));
    }
    return plans;
  }

  /** One-minute averages and how many consecutive minutes breached, as CloudWatch alarms count them. */
  private final class Tracker {
    long minute = Long.MIN_VALUE;
    double demandSum;
    double utilizationSum;
    int samples;
    boolean minuteClosed;
    double lastMinuteDemand;
    double lastMinuteUtilization;
    int highMinutes;
    int lowMinutes;
    Instant lastScaleIn = Instant.MIN.plusSeconds(86_400 * 365L);

    void sample(Instant now, double demand, double capacity) {
      long m = Math.floorDiv(now.getEpochSecond(), 60);
      minuteClosed = false;
      if (minute != Long.MIN_VALUE && m != minute && samples > 0) {
        lastMinuteDemand = demandSum / samples;
        lastMinuteUtilization = utilizationSum / samples;
        highMinutes = lastMinuteUtilization > target ? highMinutes + 1 : 0;
        lowMinutes = lastMinuteUtilization < 0.9 * target ? lowMinutes + 1 : 0;
        demandSum = 0;
        utilizationSum = 0;
        samples = 0;
        minuteClosed = true;
      }
      minute = m;
      demandSum += demand;
      utilizationSum += capacity > 0 ? demand / capacity : (demand > 0 ? 10 : 0);
      samples++;
    }
  }
}
