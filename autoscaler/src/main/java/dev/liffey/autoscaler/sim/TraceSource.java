package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a trace is named by, for the CLI's {@code simulate --trace} and the daemon's {@code
 * --simulate} alike: a CSV file, {@code bundled:NAME} or {@code bundled:all}. Stateless.
 */
public final class TraceSource {
  public static final String BUNDLED = "bundled:";

  private TraceSource() {}

  /**
   * The traces {@code spec} names.
   *
   * @throws IllegalArgumentException naming what exists instead, when no such trace is bundled or
   *     no such file is there
   * @throws InvalidTraceException with every problem of a trace that is not valid, or that lasts no
   *     time at all
   */
  public static List<Trace> resolve(EdgeConfig config, String spec)
      throws InvalidTraceException, IOException {
    if (spec.startsWith(BUNDLED)) {
      String name = spec.substring(BUNDLED.length());
      if (name.equals("all")) {
        return List.copyOf(BundledTraces.all(config).values());
      }
      if (!TraceGenerator.SCENARIOS.contains(name)) {
        throw new IllegalArgumentException(
            "no bundled trace '"
                + name
                + "': use bundled:all or one of "
                + BUNDLED
                + String.join(", " + BUNDLED, TraceGenerator.SCENARIOS));
      }
      return List.of(BundledTraces.load(config, name));
    }
    Path file = Path.of(spec);
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          "trace file not found: "
              + spec
              + " (pass a CSV file with header t,kind,key,value, or bundled:viral-spike)");
    }
    Trace trace = new TraceParser(config).parse(file);
    if (trace.length().isZero()) {
      // Replayed, it would score every policy 0 and judge every target met.
      throw new InvalidTraceException(
          spec,
          List.of(
              spec
                  + ": every row is at t=0, so there is nothing to replay: a trace runs from t=0 to"
                  + " its last row (add one where it ends, like 600,viewers,IE,5000)"));
    }
    return List.of(trace);
  }
}
