package dev.liffey.cli;

import dev.liffey.autoscaler.ops.LadderActions;
import dev.liffey.autoscaler.ops.Outcome;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.media.Ladder;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code liffey ladder hold|force|release}: on-call's word on a region's ABR ladders, which the
 * autoscaler otherwise shortens when GPU slots are short and restores when they come back.
 */
@Command(
    name = "ladder",
    mixinStandardHelpOptions = true,
    description = {
      "Hold or force a region's ABR ladders (the autoscaler shortens them when GPU slots are short).",
      "Each order holds for --for (2 hours unless said; at most a day) or until 'liffey ladder"
          + " release'; 'liffey status' shows the ladders in force and the orders."
    },
    subcommands = {
      LadderCommand.Hold.class,
      LadderCommand.Force.class,
      LadderCommand.Release.class
    })
final class LadderCommand {
  private LadderCommand() {}

  /** {@code --region R}, required and checked against the configuration. */
  static final class RegionOption {
    @Option(
        names = "--region",
        paramLabel = "R",
        required = true,
        description = "An AWS region id from edge-regions.yaml.")
    String region;

    String region(EdgeConfig config) {
      return Scope.region(config, region).orElseThrow();
    }
  }

  /** {@code --for}: as long as a freeze may hold. */
  static final class ForOption {
    @Option(
        names = "--for",
        paramLabel = "DURATION",
        converter = DurationConverter.FreezeSpan.class,
        defaultValue = "2h",
        description =
            "How long the order holds, like 30m or 6h (default: ${DEFAULT-VALUE};"
                + " at most 24h: order again before it ends to keep it).")
    Duration duration;
  }

  /** One ladder change at a change desk, for the region given: what each subcommand shares. */
  abstract static class Order implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;
    @Mixin ChangeOptions change;
    @Mixin RegionOption where;

    abstract Outcome act(LadderActions ladders, String region);

    @Override
    public Integer call() {
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      String region = where.region(edge);
      change.run(
          onCall, edge, spec.commandLine().getOut(), desk -> act(new LadderActions(desk), region));
      return LiffeyCli.EXIT_OK;
    }
  }

  @Command(
      name = "hold",
      mixinStandardHelpOptions = true,
      description = {
        "Keep a region's ladders as they are: the autoscaler neither shortens nor restores any.",
        "For a while when the full ladder's return must wait (an encoder trial, a flaky GPU type);"
            + " new streams still get what the transcoders have room for."
      })
  static final class Hold extends Order {
    @Mixin ForOption lasting;

    @Override
    Outcome act(LadderActions ladders, String region) {
      return ladders.hold(region, lasting.duration);
    }
  }

  @Command(
      name = "force",
      mixinStandardHelpOptions = true,
      description = {
        "Put every stream of a region on one ladder, new streams too.",
        "A shorter ladder saves GPUs for a surge you know is coming; the full one keeps the picture"
            + " sharp for a sponsor's stream, and then a stream with no slot waits (the command says"
            + " how many would, at the last plan's numbers)."
      })
  static final class Force extends Order {
    @Mixin ForOption lasting;

    @Option(
        names = "--ladder",
        paramLabel = "LADDER",
        required = true,
        converter = LadderConverter.class,
        description =
            "1080/720/480/360 (or full, 1080), 720/480/360 (or 720), or 480/360 (or 480).")
    Ladder ladder;

    @Override
    Outcome act(LadderActions ladders, String region) {
      return ladders.force(region, ladder, lasting.duration);
    }
  }

  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = "End on-call's order on a region's ladders: the autoscaler chooses them again.")
  static final class Release extends Order {
    @Override
    Outcome act(LadderActions ladders, String region) {
      return ladders.release(region);
    }
  }

  /** A ladder as on-call names it, or the ladders there are. */
  static final class LadderConverter implements ITypeConverter<Ladder> {
    @Override
    public Ladder convert(String value) {
      try {
        return Ladder.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
