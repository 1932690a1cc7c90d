package dev.liffey.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.core.config.EdgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liffey history}: the audit log — who, what, why, when, before and after. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "The audit log, oldest first: every change by the autoscaler and by on-call, who made it and why.")
final class HistoryCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;

  @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
      description = "How far back, like 30m, 6h or 7d (default: ${DEFAULT-VALUE}).")
  String since;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    boolean json = onCall.json();
    Instant now = Instant.now();
    try {
      List<AuditRecord> records = onCall.controlTable(edge).history(now.minus(parse(since)), now);
      if (json) {
        out.println(new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(records));
        return LiffeyCli.EXIT_OK;
      }
      if (records.isEmpty()) {
        out.println("no changes in the last " + since);
      }
      for (AuditRecord r : records) {
        out.printf(Locale.ROOT, "%s  %-9s %s%n    why: %s%n    %s -> %s%n", r.at(), r.what(), r.who(), r.why(),
            r.before(), r.after());
      }
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }

  static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new UsageProblem("--since '" + text + "' is not a duration: use a number and s, m, h or d, like 6h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
