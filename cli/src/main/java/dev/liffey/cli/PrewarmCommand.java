package dev.liffey.cli;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey prewarm}: a capacity floor until a time, and the capacity raised now. */
@Command(name = "prewarm", mixinStandardHelpOptions = true,
    description = {"Hold a region's relays or GPU transcoders at N or more for a while, and raise them now.",
        "The floor is recorded in the control table (the autoscaler keeps it); the groups are raised at once,",
        "so it works with the autoscaler down."})
final class PrewarmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;
  @Mixin ChangeOptions change;

  @Option(names = "--region", paramLabel = "R", required = true, description = "An AWS region id from edge-regions.yaml.")
  String region;

  @Option(names = "--fleet", paramLabel = "F", required = true, description = "relay, or transcode (the preferred GPU type).")
  String fleet;

  @Option(names = "--capacity", paramLabel = "N", required = true, description = "Instances to hold at least.")
  int capacity;

  @Option(names = "--for", paramLabel = "DURATION", required = true, description = "How long, like 45m or 3h.")
  String duration;

  @Option(names = "--wait", description = "Show progress until N are in service (up to 10 minutes).")
  boolean await;

  @Override
  public Integer call() throws InterruptedException {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    Scope.region(edge, region);
    if (!List.of("relay", "transcode").contains(fleet)) {
      throw new UsageProblem("--fleet '" + fleet + "' cannot be prewarmed: use relay or transcode");
    }
    FleetId id = fleet.equals("relay") ? FleetId.relay(region)
        : FleetId.transcode(region, edge.region(region).transcode().get(0).sizing().instanceType());
    var sizing = fleet.equals("relay") ? edge.region(region).relay().sizing() : edge.region(region).transcode().get(0).sizing();
    if (capacity < 1 || capacity > sizing.maxInstances()) {
      throw new UsageProblem("--capacity " + capacity + " is outside 1.." + sizing.maxInstances() + " for " + id
          + " (raise maxInstances in edge-regions.yaml and deploy to go higher)");
    }
    Duration hold = HistoryCommand.parse(duration);
    Instant until = Instant.now().plus(hold);
    if (!change.confirm("hold " + id + " at " + capacity + " or more until " + until, out)) {
      return LiffeyCli.EXIT_OK;
    }
    try {
      DynamoDbControlStore table = onCall.controlTable(edge);
      String who = onCall.whoAmI(edge);
      AutoScalingFleetActuator groups = new AutoScalingFleetActuator(edge, onCall.aws()::autoScaling);
      FleetState state = groups.fleets().stream().filter(f -> f.id().equals(id)).findFirst()
          .orElseThrow(() -> new UsageProblem("no Auto Scaling group tagged for " + id + " (deploy the "
              + (id.kind() == FleetKind.RELAY ? "relay" : "transcode") + " stack)"));
      int target = Math.max(state.desired(), capacity);
      table.audit(new AuditRecord(Instant.now(), who, "prewarm", change.reason, id + "=" + state.desired(),
          id + "=" + target + ", floor " + capacity + " until " + until));
      String key = region + "#" + fleet;
      table.putFloor(new CapacityFloor(region, fleet, capacity, until, change.reason, who), table.version("floor", key));
      groups.setCapacity(id, target, state.warmPoolSize());
      out.println("prewarm " + id + ": " + state.desired() + "→" + target + ", held at " + capacity + "+ until " + until
          + " (by " + who + "): " + change.reason);
      if (await) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        int inService = state.inService();
        while (inService < capacity && Instant.now().isBefore(deadline)) {
          out.println(progress(inService, capacity));
          Thread.sleep(5_000);
          inService = groups.fleets().stream().filter(f -> f.id().equals(id)).findFirst()
              .map(FleetState::inService).orElse(inService);
        }
        out.println(progress(inService, capacity));
      }
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }

  static String progress(int inService, int capacity) {
    int width = 30;
    int done = (int) Math.round(width * Math.min(1.0, (double) inService / capacity));
    return "[" + "#".repeat(done) + "-".repeat(width - done) + "] " + inService + "/" + capacity + " in service";
  }
}
