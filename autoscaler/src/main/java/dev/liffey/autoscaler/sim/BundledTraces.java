package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The traces that ship with Liffey (made by {@link TraceGenerator}, seed 1). */
public final class BundledTraces {
  static final String FOLDER = "/dev/liffey/autoscaler/traces/";

  private BundledTraces() {}

  /** The viral spike the daemon's simulate mode replays by default. */
  public static Trace viralSpike(EdgeConfig config) throws InvalidTraceException {
    return load(config, "viral-spike");
  }

  public static Map<String, Trace> all(EdgeConfig config) throws InvalidTraceException {
    Map<String, Trace> out = new LinkedHashMap<>();
    for (String name : TraceGenerator.SCENARIOS) {
      out.put(name, load(config, name));
    }
    return out;
  }

  public static Trace load(EdgeConfig config, String name) throws InvalidTraceException {
    String resource = FOLDER + name + ".csv";
    try (InputStream in = BundledTraces.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no bundled trace '" + name + "'");
      }
      return new TraceParser(config)
          .parse(name + ".csv", new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
