package dev.liffey.cli;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState.CapacityOverride;
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

/** {@code liffey scale}: a group set to exactly N now, and held there as an override. */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = {"Set relays or GPU transcoders to exactly N now, and hold them there.",
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

  @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1h",
      description = "How long the override holds, like 30m or 4h (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    GroupChoice group = where.choice(edge);
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
    Instant until = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(duration);
    if (!change.confirm("set " + group.id() + " to " + capacity + " and hold it there until " + until, out)) {
      return LiffeyCli.EXIT_OK;
    }
    try {
      DynamoDbControlStore table = onCall.controlTable(edge);
      String who = onCall.whoAmI(edge);
      AutoScalingFleetActuator groups = new AutoScalingFleetActuator(edge, onCall.aws()::autoScaling);
      FleetState state = group.read(groups);
      table.audit(new AuditRecord(Instant.now(), who, "scale", change.reason, group.id() + "=" + state.desired(),
          group.id() + "=" + capacity + ", held until " + until));
      table.putOverride(new CapacityOverride(where.region, group.selector(), capacity, until, change.reason, who),
          table.version("override", key));
      groups.setCapacity(group.id(), capacity, state.warmPoolSize());
      out.println("scale " + group.id() + ": " + state.desired() + "→" + capacity + ", held until " + until
          + " (by " + who + "): " + change.reason);
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }
}
