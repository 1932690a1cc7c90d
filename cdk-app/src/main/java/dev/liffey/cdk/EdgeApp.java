package dev.liffey.cdk;

import dev.liffey.cdk.eks.EksStack;
import dev.liffey.cdk.eks.EksStackProps;
import dev.liffey.cdk.fleet.ControlTableRef;
import dev.liffey.cdk.global.ControlTableStack;
import dev.liffey.cdk.global.ControlTableStackProps;
import dev.liffey.cdk.global.DashboardStack;
import dev.liffey.cdk.global.DashboardStackProps;
import dev.liffey.cdk.global.RoutingStack;
import dev.liffey.cdk.global.RoutingStackProps;
import dev.liffey.cdk.iam.AutoscalerPolicy;
import dev.liffey.cdk.iam.OnCallRole;
import dev.liffey.cdk.network.NetworkStack;
import dev.liffey.cdk.network.NetworkStackProps;
import dev.liffey.cdk.relay.EdgeAgentJar;
import dev.liffey.cdk.relay.RelayStack;
import dev.liffey.cdk.relay.RelayStackProps;
import dev.liffey.cdk.transcode.TranscodeStack;
import dev.liffey.cdk.transcode.TranscodeStackProps;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * Every stack of the edge, derived from one validated {@link EdgeConfig}: per region a network,
 * relay, transcode and EKS stack (one lifecycle each), plus the global routing, control table and
 * dashboard stacks in the primary region. Stack names: {@code <prefix>-<region>-<Layer>} and {@code
 * <prefix>-<Layer>}.
 */
public final class EdgeApp {
  /** One region's stacks. */
  public record RegionStacks(
      NetworkStack network, RelayStack relay, TranscodeStack transcode, EksStack eks) {}

  private final Map<String, RegionStacks> regions;
  private final RoutingStack routing;
  private final ControlTableStack control;
  private final DashboardStack dashboard;

  private EdgeApp(
      Map<String, RegionStacks> regions,
      RoutingStack routing,
      ControlTableStack control,
      DashboardStack dashboard) {
    this.regions = regions;
    this.routing = routing;
    this.control = control;
    this.dashboard = dashboard;
  }

  /**
   * A CDK app with Liffey's context: cross-stack references pinned to "strong", so a stack that
   * exports a value cannot be changed while another still imports it.
   */
  public static App newApp() {
    return new App(
        AppProps.builder()
            .context(Map.of("@aws-cdk/core:defaultCrossStackReferences", "strong"))
            .build());
  }

  /**
   * Adds every stack to {@code app}, each given the typed props it needs (built here, from the
   * configuration), never the configuration itself.
   *
   * @param configYaml the configuration's text, shipped to the autoscaler as deployed
   * @throws EdgeAgentJar.MissingException before any stack is made, if the relay agent's jar
   *     ({@link EdgeAgentJar#DEFAULT}) has not been built
   */
  public static EdgeApp build(App app, EdgeConfig config, String configYaml) {
    return build(app, config, configYaml, EdgeAgentJar.DEFAULT);
  }

  /** Where relays and transcoders find each other and the ladder plan. */
  private static ControlTableRef controlTable(EdgeConfig config) {
    return new ControlTableRef(config.control().tableName(), config.primaryRegion());
  }

  /**
   * As {@link #build(App, EdgeConfig, String)}, the relays running the agent's jar {@code edgeJar}.
   */
  public static EdgeApp build(App app, EdgeConfig config, String configYaml, Path edgeJar) {
    Path edgeAgentJar = EdgeAgentJar.require(edgeJar);
    String prefix = config.stackPrefix();
    Map<String, RegionStacks> regions = new LinkedHashMap<>();
    EksStack primaryEks = null;
    for (Region region : config.regions()) {
      String base = prefix + "-" + region.id() + "-";
      LiffeyStackProps stack = stackProps(config, region);
      NetworkStack network =
          new NetworkStack(app, base + "Network", new NetworkStackProps(stack, region));
      List<Market> served =
          config.markets().stream()
              .filter(m -> m.servedBy().stream().anyMatch(s -> s.regionId().equals(region.id())))
              .toList();
      RelayStack relay =
          new RelayStack(
              app,
              base + "Relay",
              new RelayStackProps(
                  stack,
                  region,
                  network.vpc(),
                  config.routing(),
                  served,
                  config.scaling().latencySloMillis(),
                  config.scaling().targetUtilization(),
                  edgeAgentJar,
                  controlTable(config)));
      TranscodeStack transcode =
          new TranscodeStack(
              app,
              base + "Transcode",
              new TranscodeStackProps(
                  stack, region, network.vpc(), edgeAgentJar, controlTable(config)));
      boolean primary = region.id().equals(config.primaryRegion());
      EksStack eks =
          new EksStack(
              app,
              base + "Eks",
              new EksStackProps(
                  stack,
                  region,
                  network.vpc(),
                  config.clusterName(region.id()),
                  AutoscalerPolicy.roleName(config),
                  OnCallRole.Reach.of(config).roleName(),
                  EksStackProps.eventsServedBy(config, region.id()),
                  primary
                      ? Optional.of(new EksStackProps.Autoscaler(config, configYaml))
                      : Optional.empty()));
      regions.put(region.id(), new RegionStacks(network, relay, transcode, eks));
      if (primary) {
        primaryEks = eks;
      }
    }
    // Other clusters grant the autoscaler's role access, so that role must exist first.
    for (RegionStacks stacks : regions.values()) {
      if (stacks.eks() != primaryEks) {
        stacks
            .eks()
            .addStackDependency(
                primaryEks, "grants access to the autoscaler role made in the primary region");
      }
    }
    LiffeyStackProps global = stackProps(config, config.region(config.primaryRegion()));
    RoutingStack routing =
        new RoutingStack(
            app,
            prefix + "-Routing",
            new RoutingStackProps(
                global, config.routing(), config.markets(), config.primaryRegion()));
    regions
        .values()
        .forEach(
            r ->
                routing.addStackDependency(
                    r.relay(), "health checks probe each region's signalling name"));
    ControlTableStack control =
        new ControlTableStack(
            app,
            prefix + "-Control",
            new ControlTableStackProps(global, config.control(), OnCallRole.Reach.of(config)));
    DashboardStack dashboard =
        new DashboardStack(
            app,
            prefix + "-Dashboard",
            new DashboardStackProps(
                global,
                prefix,
                config.regions(),
                config.markets(),
                config.scaling().latencySloMillis()));
    return new EdgeApp(regions, routing, control, dashboard);
  }

  /**
   * Where a stack of {@code region} deploys: the account from the config, else {@code
   * CDK_DEFAULT_ACCOUNT}, else left to deploy time; the region's zones; the config's tags.
   */
  static LiffeyStackProps stackProps(EdgeConfig config, Region region) {
    Optional<String> account =
        config.account().or(() -> Optional.ofNullable(System.getenv("CDK_DEFAULT_ACCOUNT")));
    return new LiffeyStackProps(account, region.id(), region.availabilityZones(), config.tags());
  }

  public RegionStacks region(String id) {
    RegionStacks stacks = regions.get(id);
    if (stacks == null) {
      throw new IllegalArgumentException("no stacks for region " + id);
    }
    return stacks;
  }

  public List<String> regionIds() {
    return List.copyOf(regions.keySet());
  }

  public RoutingStack routing() {
    return routing;
  }

  public ControlTableStack control() {
    return control;
  }

  public DashboardStack dashboard() {
    return dashboard;
  }
}
