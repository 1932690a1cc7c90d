package dev.liffey.cli;

import dev.liffey.autoscaler.engine.EventPrewarm;
import dev.liffey.autoscaler.ops.EventActions;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code liffey events list|add|remove}: audiences known in advance. Those in edge-regions.yaml are
 * deployed with the autoscaler; those added here live in the control table, and the autoscaler
 * pre-warms for both (relay floors from the pre-warm time, and the forecast never below the
 * audience).
 */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description =
        "Known events (a final at 20:00 with an expected audience) that pre-warm ahead of time.",
    subcommands = {
      EventsCommand.ListEvents.class,
      EventsCommand.Add.class,
      EventsCommand.Remove.class
    })
final class EventsCommand {
  private EventsCommand() {}

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "Every known event that has not ended: from edge-regions.yaml and added by on-call.")
  static final class ListEvents implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;

    @Option(names = "--all", description = "Include events that have ended.")
    boolean all;

    @Override
    public Integer call() throws Exception {
      var out = spec.commandLine().getOut();
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      boolean table = onCall.table();
      Instant now = Instant.now();
      try {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<KnownEvent> added = onCall.controlTable(edge).read().events();
        for (KnownEvent e : edge.events()) {
          rows.add(row(edge, e, "edge-regions.yaml", now));
        }
        for (KnownEvent e : added) {
          rows.add(row(edge, e, "added", now));
        }
        rows.removeIf(r -> !all && r.get("state").equals("ended"));
        rows.sort(Comparator.comparing(r -> (Instant) r.get("start")));
        if (!table) {
          onCall.printDocument(out, rows);
          return LiffeyCli.EXIT_OK;
        }
        if (rows.isEmpty()) {
          out.println("no known events to come (add one with 'liffey events add')");
        }
        for (Map<String, Object> r : rows) {
          out.printf(
              Locale.ROOT,
              "%-20s %-10s %-6s %9s viewers  %s  pre-warm from %s  (%s)%n    %s%n",
              r.get("start"),
              r.get("state"),
              Printable.escape((String) r.get("market")),
              String.format(Locale.ROOT, "%,d", (Integer) r.get("expectedViewers")),
              "for " + r.get("durationMinutes") + " min",
              r.get("prewarmAt"),
              r.get("source"),
              Printable.escape((String) r.get("name")));
        }
        return LiffeyCli.EXIT_OK;
      } finally {
        onCall.close();
      }
    }

    private static Map<String, Object> row(
        EdgeConfig edge, KnownEvent e, String source, Instant now) {
      Instant prewarmAt = EventPrewarm.prewarmAt(edge, e);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", e.name());
      r.put("market", e.market());
      r.put("start", e.start());
      r.put("durationMinutes", e.duration().toMinutes());
      r.put("expectedViewers", e.expectedViewers());
      r.put("prewarmAt", prewarmAt);
      r.put(
          "state",
          !e.end().isAfter(now)
              ? "ended"
              : !e.start().isAfter(now)
                  ? "live"
                  : !prewarmAt.isAfter(now) ? "warming" : "upcoming");
      r.put("source", source);
      return r;
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add a known event, pre-warmed for ahead of time.",
        "The autoscaler raises relay floors for its audience from its pre-warm time (the lead plus the slowest"
            + " relay boot before the start) until the audience has had the lead again to arrive after the"
            + " start; from then on what is observed decides."
      })
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;
    @Mixin ChangeOptions change;

    @Option(
        names = "--name",
        paramLabel = "TEXT",
        required = true,
        description = "For people, like \"Cup final\".")
    String name;

    @Option(
        names = "--market",
        paramLabel = "CODE",
        required = true,
        description = "Where the viewers are, like IE.")
    String market;

    @Option(
        names = "--start",
        paramLabel = "INSTANT",
        required = true,
        description = "When it starts, ISO-8601 UTC, like 2026-12-26T17:30:00Z.")
    String start;

    @Option(
        names = "--duration",
        paramLabel = "DURATION",
        required = true,
        converter = DurationConverter.class,
        description = "How long it lasts, like 2h (at most 7d).")
    Duration duration;

    @Option(
        names = "--viewers",
        paramLabel = "N",
        required = true,
        description = "Peak concurrent viewers expected.")
    int viewers;

    @Option(
        names = "--prewarm",
        paramLabel = "DURATION",
        defaultValue = "20m",
        converter = DurationConverter.class,
        description =
            "How long before the start capacity must be in service (default: 20m; at most 7d).")
    Duration prewarm;

    @Override
    public Integer call() {
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      Instant at;
      try {
        at = Instant.parse(start);
      } catch (DateTimeParseException e) {
        throw new UsageProblem(
            "--start '"
                + start
                + "' is not an instant: use ISO-8601 UTC, like 2026-12-26T17:30:00Z");
      }
      KnownEvent event = new KnownEvent(name, market, at, duration, viewers, prewarm);
      change.run(
          onCall,
          edge,
          spec.commandLine().getOut(),
          desk -> new EventActions(edge, desk).add(event));
      return LiffeyCli.EXIT_OK;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Remove an event added with 'liffey events add', and the relay floors written for it.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin OnCall onCall;
    @Mixin ChangeOptions change;

    @Option(
        names = "--name",
        paramLabel = "TEXT",
        required = true,
        description = "The event's name, as listed.")
    String name;

    @Override
    public Integer call() {
      EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
      change.run(
          onCall,
          edge,
          spec.commandLine().getOut(),
          desk -> new EventActions(edge, desk).remove(name));
      return LiffeyCli.EXIT_OK;
    }
  }
}
