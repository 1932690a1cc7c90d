package dev.liffey.autoscaler.engine.policy;

import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.MarketRegion;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.ScalingPolicy;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the AWS baselines share: per region, the relay group and the GPU groups scaled by EC2 Auto
 * Scaling policies ({@link GroupScaler}), the services by Kubernetes' HPA ({@link
 * HorizontalPodAutoscaler}); fixed routing; the same fleets, warm pools and target utilization as
 * Liffey. Which EC2 policies a baseline has is its only difference, and each baseline is no more
 * than its name and those (a subclass's constructor). Keeps history; one instance per loop; not
 * thread-safe.
 */
abstract class AwsBaseline implements ScalingPolicy {
  private final String name;
  private final EdgeConfig config;
  private final Duration staleAfter;
  private final Map<String, List<MarketRegion>> viewerSeries = new LinkedHashMap<>();
  private final Map<String, List<GroupScaler>> relays = new LinkedHashMap<>();
  private final Map<String, GroupScaler> transcoders = new LinkedHashMap<>();
  private final Map<FleetId, HorizontalPodAutoscaler> services = new LinkedHashMap<>();

  /**
   * @param metricPeriod the period of the utilization metric target tracking and step scaling read
   * @param stepScaling whether the groups have {@link StepScaling} beside target tracking
   * @param predictive whether the groups have {@link PredictiveScaling} beside target tracking
   */
  AwsBaseline(
      EdgeConfig config,
      String name,
      Duration metricPeriod,
      boolean stepScaling,
      boolean predictive) {
    this.name = name;
    this.config = config;
    this.staleAfter = config.scaling().staleAfter();
    double target = config.scaling().targetUtilization();
    FleetCatalog catalog = new FleetCatalog(config);
    for (String region : config.regionIds()) {
      List<MarketRegion> series = new ArrayList<>();
      for (Market m : config.markets()) {
        for (Market.ServedBy s : m.servedBy()) {
          if (s.regionId().equals(region)) {
            series.add(new MarketRegion(m.code(), region));
          }
        }
      }
      viewerSeries.put(region, List.copyOf(series));
      List<GroupScaler> relayGroups = new ArrayList<>();
      for (FleetSpec relay : catalog.inRegion(region, FleetKind.RELAY)) {
        relayGroups.add(
            scaler(ScalingGroup.relays(relay), target, metricPeriod, stepScaling, predictive));
      }
      relays.put(region, relayGroups);
      ScalingGroup gpus =
          ScalingGroup.transcoders(region, catalog.inRegion(region, FleetKind.TRANSCODE));
      if (!gpus.isEmpty()) {
        transcoders.put(region, scaler(gpus, target, metricPeriod, stepScaling, predictive));
      }
      for (FleetSpec service : catalog.inRegion(region, FleetKind.SERVICE)) {
        services.put(service.id(), new HorizontalPodAutoscaler(service, target));
      }
    }
  }

  private static GroupScaler scaler(
      ScalingGroup group, double target, Duration period, boolean steps, boolean predictive) {
    return new GroupScaler(
        group,
        new TargetTracking(target, period),
        steps ? new StepScaling(target, period) : null,
        predictive ? new PredictiveScaling(target) : null);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Decision decide(Observation obs) {
    List<FleetPlan> plans = new ArrayList<>();
    for (String region : config.regionIds()) {
      double viewers = RegionDemand.freshViewers(obs, viewerSeries.get(region), staleAfter);
      for (GroupScaler relay : relays.get(region)) {
        plans.addAll(relay.decide(obs, viewers));
      }
      GroupScaler gpus = transcoders.get(region);
      if (gpus != null) {
        plans.addAll(gpus.decide(obs, RegionDemand.freshStreams(obs, region, staleAfter)));
      }
      for (Map.Entry<FleetId, HorizontalPodAutoscaler> e : services.entrySet()) {
        FleetState state = obs.fleets().get(e.getKey());
        if (e.getKey().region().equals(region) && state != null) {
          plans.add(e.getValue().decide(obs.now(), state, viewers));
        }
      }
    }
    return new Decision(obs.now(), name, plans, Optional.empty());
  }
}
