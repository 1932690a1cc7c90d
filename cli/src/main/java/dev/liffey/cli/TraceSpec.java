package dev.liffey.cli;

import dev.liffey.autoscaler.sim.BundledTraces;
import dev.liffey.autoscaler.sim.InvalidTraceException;
import dev.liffey.autoscaler.sim.Trace;
import dev.liffey.autoscaler.sim.TraceGenerator;
import dev.liffey.autoscaler.sim.TraceParser;
import dev.liffey.core.config.EdgeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code --trace} value: a CSV file, {@code bundled:NAME}, or {@code bundled:all}. */
final class TraceSpec {
  static final String BUNDLED = "bundled:";

  private TraceSpec() {}

  /** The traces named; invalid ones print every problem and throw {@link ConfigOption.Invalid}. */
  static List<Trace> resolve(List<String> specs, EdgeConfig config, PrintWriter err) {
    List<Trace> out = new ArrayList<>();
    for (String spec : specs) {
      try {
        if (spec.startsWith(BUNDLED)) {
          String name = spec.substring(BUNDLED.length());
          if (name.equals("all")) {
            out.addAll(BundledTraces.all(config).values());
          } else if (TraceGenerator.SCENARIOS.contains(name)) {
            out.add(BundledTraces.load(config, name));
          } else {
            throw new UsageProblem("no bundled trace '" + name + "': use bundled:all or one of bundled:"
                + String.join(", bundled:", TraceGenerator.SCENARIOS));
          }
        } else {
          Path file = Path.of(spec);
          if (!Files.exists(file)) {
            throw new UsageProblem("trace file not found: " + spec
                + " (pass a CSV file with header t,kind,key,value, or bundled:viral-spike)");
          }
          out.add(new TraceParser(config).parse(file));
        }
      } catch (InvalidTraceException e) {
        e.problems().forEach(err::println);
        err.println(spec + ": invalid trace, " + e.problems().size()
            + (e.problems().size() == 1 ? " problem" : " problems"));
        throw new ConfigOption.Invalid();
      } catch (IOException e) {
        throw new UsageProblem("cannot read " + spec + ": " + e.getMessage());
      }
    }
    return out;
  }
}
