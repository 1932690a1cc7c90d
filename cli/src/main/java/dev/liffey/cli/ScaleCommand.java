package dev.liffey.cli;

import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.WorkloadActuator;
import dev.liffey.autoscaler.ops.CapacityActions;
import dev.liffey.autoscaler.ops.Scalable;
import dev.liffey.autoscaler.ops.aws.ClusterUnreachable;
import dev.liffey.autoscaler.ops.aws.ServiceCluster;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey scale}: a group set to exactly N now, and held there as an override. */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = {
      "Set relays, GPU transcoders or a service to exactly N now, and hold them there.",
      "The autoscaler does not change them until the override ends (--for) or is released (--release)."
          + " Unlike prewarm, this also holds capacity down. Works with the autoscaler down."
    })
final class ScaleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;
  @Mixin ChangeOptions change;

  @Mixin GroupOptions where;

  @ArgGroup(multiplicity = "1")
  What what;

  static final class What {
    @Option(
        names = "--capacity",
        paramLabel = "N",
        required = true,
        description = "Instances to hold exactly.")
    Integer capacity;

    @Option(
        names = "--release",
        required = true,
        description = "End the override: the autoscaler sizes the group again.")
    boolean release;
  }

  @Option(
      names = "--kube-context",
      paramLabel = "NAME",
      description =
          "For a service: the kubeconfig context of the region's EKS cluster (default: the current one).")
  String kubeContext;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "1h",
      description =
          "How long the override holds, like 30m or 4h (default: ${DEFAULT-VALUE}; at most 7d).")
  Duration duration;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    GroupChoice group = where.choiceOrService(edge);
    if (!what.release) {
      group.check(what.capacity);
    }
    try (Service service = new Service(edge, group)) {
      Scalable fleet =
          group.isService() ? service : group.groups(onCall, edge, spec.commandLine().getErr());
      change.run(
          onCall,
          edge,
          out,
          desk ->
              what.release
                  ? new CapacityActions(desk, fleet).releaseOverride(group.id())
                  : new CapacityActions(desk, fleet).scale(group.id(), what.capacity, duration));
    }
    return LiffeyCli.EXIT_OK;
  }

  /**
   * A service's replicas in the region's EKS cluster, through the kubeconfig: connected when first
   * read, refused unless the cluster is that region's, read before anything is written.
   */
  private final class Service implements Scalable, AutoCloseable {
    private final EdgeConfig edge;
    private final GroupChoice group;
    private ServiceCluster cluster;
    private WorkloadActuator workloads;

    Service(EdgeConfig edge, GroupChoice group) {
      this.edge = edge;
      this.group = group;
    }

    @Override
    public FleetState read(FleetId fleet) {
      String region = where.region;
      String update =
          "aws eks update-kubeconfig --region " + region + " --name " + edge.clusterName(region);
      Optional<String> context = Optional.ofNullable(kubeContext);
      try {
        cluster = ServiceCluster.connect(context);
      } catch (ClusterUnreachable e) {
        throw new Unreachable(
            "cannot reach Kubernetes for "
                + region
                + ServiceCluster.apiServer(context)
                + " ("
                + e.getMessage()
                + "): check the kubeconfig ("
                + update
                + ") or --kube-context",
            e);
      }
      String described = cluster.describe();
      if (!described.contains(region)) {
        throw new UsageProblem(
            "the Kubernetes "
                + described
                + " is not "
                + region
                + "'s cluster: pass --kube-context"
                + " with its context ("
                + update
                + " makes one)");
      }
      workloads = cluster.services(edge, region);
      return workloads.services().stream()
          .filter(f -> f.id().equals(fleet))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no deployment labelled "
                          + ServiceCluster.SERVICE_LABEL
                          + "="
                          + group.selector()
                          + " in "
                          + described
                          + " (deploy the EKS stack)"));
    }

    @Override
    public java.util.Optional<String> set(FleetState now, int desired) {
      try {
        workloads.setReplicas(now.id(), desired);
        return java.util.Optional.empty();
      } catch (ClusterUnreachable e) {
        throw new Unreachable(
            "cannot reach Kubernetes "
                + cluster.describe()
                + " ("
                + e.getMessage()
                + "): nothing was scaled; the override is recorded, run scale again",
            e);
      }
    }

    @Override
    public void close() {
      if (cluster != null) {
        cluster.close();
      }
    }
  }
}
