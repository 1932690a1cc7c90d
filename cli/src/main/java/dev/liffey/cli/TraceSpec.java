package dev.liffey.cli;

import dev.liffey.autoscaler.sim.InvalidTraceException;
import dev.liffey.autoscaler.sim.Trace;
import dev.liffey.autoscaler.sim.TraceSource;
import dev.liffey.core.config.EdgeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A {@code --trace} value: a CSV file, {@code bundled:NAME}, or {@code bundled:all}. */
final class TraceSpec {
  private TraceSpec() {}

  /** The traces named; invalid ones print every problem and throw {@link ConfigOption.Invalid}. */
  static List<Trace> resolve(List<String> specs, EdgeConfig config, PrintWriter err) {
    List<Trace> out = new ArrayList<>();
    for (String spec : specs) {
      try {
        out.addAll(TraceSource.resolve(config, spec));
      } catch (IllegalArgumentException e) {
        throw new UsageProblem(e.getMessage());
      } catch (InvalidTraceException e) {
        e.problems().forEach(err::println);
        err.println(
            spec
                + ": invalid trace, "
                + e.problems().size()
                + (e.problems().size() == 1 ? " problem" : " problems"));
        throw new ConfigOption.Invalid();
      } catch (IOException e) {
        throw new UsageProblem("cannot read " + spec + ": " + e.getMessage());
      }
    }
    return out;
  }
}
