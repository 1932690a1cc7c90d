package dev.liffey.cli;

import dev.liffey.autoscaler.engine.FleetActuator;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.PartialRead;
import dev.liffey.autoscaler.ops.CapacityActions;
import dev.liffey.autoscaler.ops.ChangeDesk;
import dev.liffey.autoscaler.ops.Outcome;
import dev.liffey.core.config.EdgeConfig;
import java.io.PrintWriter;
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
@Command(
    name = "prewarm",
    mixinStandardHelpOptions = true,
    description = {
      "Hold relays or GPU transcoders at N or more for a while, raised now.",
      "The floor is recorded in the control table (the autoscaler keeps it, and may go higher); the group is"
          + " raised at once, so it works with the autoscaler down."
    })
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

    @Option(
        names = "--release",
        required = true,
        description =
            "Lift the floor now; the autoscaler sizes the group again (scale-in stays gradual).")
    boolean release;
  }

  static final class Hold {
    @Option(
        names = "--capacity",
        paramLabel = "N",
        required = true,
        description = "Instances to hold at least.")
    int capacity;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        required = true,
        description = "How long, like 45m or 3h (at most 7d).")
    Duration duration;
  }

  @Option(
      names = "--wait",
      description = "Show progress until N are in service (up to 10 minutes).")
  boolean await;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    GroupChoice group = where.choice(edge);
    FleetId id = group.id();
    if (what.release) {
      change.run(onCall, edge, out, desk -> actions(desk, edge, group).liftFloor(id));
      return LiffeyCli.EXIT_OK;
    }
    int capacity = what.hold.capacity;
    if (capacity < 1) {
      throw new UsageProblem("--capacity " + capacity + " is not a floor: use 1 or more");
    }
    group.check(capacity);
    change.run(
        onCall,
        edge,
        out,
        desk -> actions(desk, edge, group).prewarm(id, capacity, what.hold.duration),
        outcome -> {
          if (await && outcome instanceof Outcome.Applied) {
            await(out, edge, id, capacity);
          }
        });
    return LiffeyCli.EXIT_OK;
  }

  private CapacityActions actions(ChangeDesk desk, EdgeConfig edge, GroupChoice group) {
    return new CapacityActions(desk, group.groups(onCall, edge, spec.commandLine().getErr()));
  }

  /** Progress until {@code capacity} are in service, for up to 10 minutes. */
  private void await(PrintWriter out, EdgeConfig edge, FleetId id, int capacity) {
    FleetActuator groups = onCall.aws().groups(edge);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    int inService = 0;
    while (true) {
      inService =
          PartialRead.orPartial(groups::fleets).stream()
              .filter(f -> f.id().equals(id))
              .findFirst()
              .map(FleetState::inService)
              .orElse(inService);
      out.println(progress(inService, capacity));
      if (inService >= capacity || !Instant.now().isBefore(deadline)) {
        return;
      }
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static String progress(int inService, int capacity) {
    int width = 30;
    int done = (int) Math.round(width * Math.min(1.0, (double) inService / capacity));
    return "["
        + "#".repeat(done)
        + "-".repeat(width - done)
        + "] "
        + inService
        + "/"
        + capacity
        + " in service";
  }
}
