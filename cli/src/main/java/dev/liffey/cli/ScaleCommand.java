package dev.liffey.cli;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState.CapacityOverride;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.k8s.Fabric8WorkloadActuator;
import dev.liffey.autoscaler.k8s.KubernetesConnection;
import dev.liffey.core.config.EdgeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey scale}: a group set to exactly N now, and held there as an override. */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = {"Set relays, GPU transcoders or a service to exactly N now, and hold them there.",
        "The autoscaler does not change them until the override ends (--for) or is released (--release)."
            + " Unlike prewarm, this also holds capacity down. Works with the autoscaler down."})
final class ScaleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;
  @Mixin ChangeOptions change;

  @Mixin GroupOptions where;

  @ArgGroup(multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--capacity", paramLabel = "N", required = true, description = "Instances to hold exactly.")
    Integer capacity;

    @Option(names = "--release", required = true, description = "End the override: the autoscaler sizes the group again.")
    boolean release;
  }

  @Option(names = "--kube-context", paramLabel = "NAME",
      description = "For a service: the kubeconfig context of the region's EKS cluster (default: the current one).")
  String kubeContext;

  @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1h",
      description = "How long the override holds, like 30m or 4h (default: ${DEFAULT-VALUE}; at most 7d).")
  Duration duration;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    GroupChoice group = where.choiceOrService(edge);
    String key = where.region + "#" + group.selector();
    if (what.release) {
      if (!change.confirm("release the override on " + group.id(), out)) {
        return LiffeyCli.EXIT_OK;
      }
      try {
        DynamoDbControlStore table = onCall.controlTable(edge);
        String who = onCall.whoAmI(edge);
        var held = table.read().overrideFor(group.id(), Instant.now());
        if (held.isEmpty()) {
          out.println("no override on " + group.id() + "; nothing changed");
          return LiffeyCli.EXIT_OK;
        }
        table.audit(new AuditRecord(Instant.now(), who, "release", change.reason,
            group.id() + " held at " + held.get().capacity(), "autoscaled"));
        table.removeOverride(where.region, group.selector());
        out.println("released " + group.id() + " (by " + who + "): the autoscaler sizes it again: " + change.reason);
        return LiffeyCli.EXIT_OK;
      } finally {
        onCall.close();
      }
    }
    int capacity = what.capacity;
    group.check(capacity);
    Instant until = DurationConverter.fromNow(duration);
    if (!change.confirm("set " + group.id() + " to " + capacity + " and hold it there until " + until, out)) {
      return LiffeyCli.EXIT_OK;
    }
    try (Target target = group.isService() ? service(edge, group) : autoScalingGroup(edge, group)) {
      DynamoDbControlStore table = onCall.controlTable(edge);
      String who = onCall.whoAmI(edge);
      int before = target.desired();
      table.audit(new AuditRecord(Instant.now(), who, "scale", change.reason, group.id() + "=" + before,
          group.id() + "=" + capacity + ", held until " + until));
      table.putOverride(new CapacityOverride(where.region, group.selector(), capacity, until, change.reason, who),
          table.version("override", key));
      target.set(capacity);
      out.println("scale " + group.id() + ": " + before + "→" + capacity + ", held until " + until
          + " (by " + who + "): " + change.reason);
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }

  /** {@code  at https://...}: the API server the kubeconfig names for the context, when it names one. */
  private String apiServer() {
    try {
      String url = io.fabric8.kubernetes.client.Config.autoConfigure(kubeContext).getMasterUrl();
      return url == null ? "" : " at " + url;
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** What scale sets: an Auto Scaling group's desired capacity, or a service's replicas. */
  private interface Target extends AutoCloseable {
    int desired();

    void set(int capacity);

    @Override
    void close();
  }

  private Target autoScalingGroup(EdgeConfig edge, GroupChoice group) {
    AutoScalingFleetActuator groups = new AutoScalingFleetActuator(edge, onCall.aws()::autoScaling);
    FleetState state = group.read(groups, onCall.calls());
    GroupChoice.shortage(state).ifPresent(spec.commandLine().getErr()::println);
    return new Target() {
      @Override
      public int desired() {
        return state.desired();
      }

      @Override
      public void set(int capacity) {
        groups.setCapacity(group.id(), capacity, state.warmPoolSize());
      }

      @Override
      public void close() {}
    };
  }

  /** The region's EKS cluster through the kubeconfig: refused unless it is that region's, read before anything is written. */
  private Target service(EdgeConfig edge, GroupChoice group) {
    String region = where.region;
    String update = "aws eks update-kubeconfig --region " + region + " --name " + edge.clusterName(region);
    KubernetesClient k8s;
    try {
      k8s = KubernetesConnection.connect(Optional.ofNullable(kubeContext));
    } catch (KubernetesClientException e) {
      throw new Unreachable("cannot reach Kubernetes for " + region + apiServer() + " (" + e.getMessage()
          .replaceAll("\\s+", " ") + "): check the kubeconfig (" + update + ") or --kube-context", e);
    }
    String cluster = KubernetesConnection.describe(k8s);
    if (!cluster.contains(region)) {
      k8s.close();
      throw new UsageProblem("the Kubernetes " + cluster + " is not " + region + "'s cluster: pass --kube-context"
          + " with its context (" + update + " makes one)");
    }
    Fabric8WorkloadActuator workloads = new Fabric8WorkloadActuator(edge, Map.of(region, k8s));
    FleetState state = workloads.services().stream().filter(f -> f.id().equals(group.id())).findFirst()
        .orElseThrow(() -> {
          k8s.close();
          return new IllegalStateException("no deployment labelled " + Fabric8WorkloadActuator.SERVICE_LABEL + "="
              + group.selector() + " in " + cluster + " (deploy the EKS stack)");
        });
    return new Target() {
      @Override
      public int desired() {
        return state.desired();
      }

      @Override
      public void set(int capacity) {
        try {
          workloads.setReplicas(group.id(), capacity);
        } catch (KubernetesClientException e) {
          if (e.getCause() instanceof java.io.IOException) {
            throw new Unreachable("cannot reach Kubernetes " + cluster + " (" + e.getCause().getMessage()
                + "): nothing was scaled; the override is recorded, run scale again", e);
          }
          throw e;
        }
      }

      @Override
      public void close() {
        k8s.close();
      }
    };
  }
}
