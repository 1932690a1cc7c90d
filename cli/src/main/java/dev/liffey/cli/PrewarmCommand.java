package dev.liffey.cli;

import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey prewarm}: a capacity floor until a time, and the capacity raised now. */
@Command(name = "prewarm", mixinStandardHelpOptions = true,
    description = {"Hold relays or GPU transcoders at N or more for a while, raised now.",
        "The floor is recorded in the control table (the autoscaler keeps it, and may go higher); the group is"
            + " raised at once, so it works with the autoscaler down."})
final class PrewarmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;
  @Mixin ChangeOptions change;

  @Mixin GroupOptions where;

  @ArgGroup(multiplicity = "1")
  What what;

  /** A floor to hold, or the end of one. */
  static final class What {
    @ArgGroup(exclusive = false, multiplicity = "1")
    Hold hold;

    @Option(names = "--release", required = true,
        description = "Lift the floor now; the autoscaler sizes the group again (scale-in stays gradual).")
    boolean release;
  }

  static final class Hold {
    @Option(names = "--capacity", paramLabel = "N", required = true, description = "Instances to hold at least.")
    int capacity;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class, required = true,
        description = "How long, like 45m or 3h (at most 7d).")
    Duration duration;
  }

  @Option(names = "--wait", description = "Show progress until N are in service (up to 10 minutes).")
  boolean await;

  @Override
  public Integer call() throws InterruptedException {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    GroupChoice group = where.choice(edge);
    FleetId id = group.id();
    if (what.release) {
      return release(edge, group);
    }
    int capacity = what.hold.capacity;
    Duration duration = what.hold.duration;
    if (capacity < 1) {
      throw new UsageProblem("--capacity " + capacity + " is not a floor: use 1 or more");
    }
    group.check(capacity);
    Instant until = DurationConverter.fromNow(duration);
    if (!change.confirm("hold " + id + " at " + capacity + " or more until " + until, out)) {
      return LiffeyCli.EXIT_OK;
    }
    try {
      DynamoDbControlStore table = onCall.controlTable(edge);
      String who = onCall.whoAmI(edge);
      AutoScalingFleetActuator groups = new AutoScalingFleetActuator(edge, onCall.aws()::autoScaling);
      FleetState state = group.read(groups, onCall.calls());
      GroupChoice.shortage(state).ifPresent(spec.commandLine().getErr()::println);
      int target = Math.max(state.desired(), capacity);
      table.audit(new AuditRecord(Instant.now(), who, "prewarm", change.reason, id + "=" + state.desired(),
          id + "=" + target + ", floor " + capacity + " until " + until));
      String key = where.region + "#" + group.selector();
      table.putFloor(new CapacityFloor(where.region, group.selector(), capacity, until, change.reason, who),
          table.version("floor", key));
      groups.setCapacity(id, target, state.warmPoolSize());
      out.println("prewarm " + id + ": " + state.desired() + "→" + target + ", held at " + capacity + "+ until " + until
          + " (by " + who + "): " + change.reason);
      if (await) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        int inService = state.inService();
        while (inService < capacity && Instant.now().isBefore(deadline)) {
          out.println(progress(inService, capacity));
          Thread.sleep(5_000);
          inService = PartialRead.orPartial(groups::fleets).stream().filter(f -> f.id().equals(id)).findFirst()
              .map(FleetState::inService).orElse(inService);
        }
        out.println(progress(inService, capacity));
      }
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }

  private int release(EdgeConfig edge, GroupChoice group) {
    var out = spec.commandLine().getOut();
    if (!change.confirm("lift the floor on " + group.id(), out)) {
      return LiffeyCli.EXIT_OK;
    }
    try {
      DynamoDbControlStore table = onCall.controlTable(edge);
      var floor = table.read().floors().stream()
          .filter(f -> f.region().equals(where.region) && f.fleet().equals(group.selector())).findFirst();
      if (floor.isEmpty()) {
        out.println("no floor on " + group.id() + "; nothing changed");
        return LiffeyCli.EXIT_OK;
      }
      String who = onCall.whoAmI(edge);
      table.audit(new AuditRecord(Instant.now(), who, "release", change.reason, group.id() + " floor "
          + floor.get().capacity() + " until " + floor.get().until(), "no floor"));
      table.removeFloor(where.region, group.selector());
      out.println("lifted the floor of " + floor.get().capacity() + " on " + group.id() + " (by " + who
          + "): the autoscaler sizes it again: " + change.reason);
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
