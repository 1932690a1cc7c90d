package dev.liffey.cli;

import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey history}: the audit log — who, what, why, when, before and after. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "The audit log, oldest first: every change by the autoscaler and by on-call, who made it and why.")
final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      defaultValue = "24h",
      converter = DurationConverter.Lookback.class,
      description = "How far back, like 30m, 6h or 7d (default: 24h; at most 31d).")
  Duration since;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    boolean table = onCall.table();
    Instant now = Instant.now();
    try {
      List<AuditRecord> records = onCall.controlTable(edge).history(now.minus(since), now);
      if (!table) {
        onCall.printDocument(out, records);
        return LiffeyCli.EXIT_OK;
      }
      if (records.isEmpty()) {
        out.println("no changes since " + now.minus(since));
      }
      for (AuditRecord r : records) {
        out.printf(
            Locale.ROOT,
            "%s  %-9s %s%n    why: %s%n    %s -> %s%n",
            r.at(),
            Printable.escape(r.what()),
            Printable.escape(r.who()),
            Printable.escape(r.why()),
            Printable.escape(r.before()),
            Printable.escape(r.after()));
      }
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }
}
