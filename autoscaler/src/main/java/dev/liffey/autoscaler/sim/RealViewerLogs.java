package dev.liffey.autoscaler.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The real viewer-count logs bundled for the suite ({@code traces/real/}, provenance in the README
 * there): their viewers rows as step functions. Loaded once; immutable and thread-safe.
 */
final class RealViewerLogs {
  static final String FOLDER = BundledTraces.FOLDER + "real/";
  static final List<String> FILES =
      List.of("youtube-M6dIu_6VTMY.csv", "youtube-PvTLiKMxPXY-vX78p4-hQ0g.csv");

  /** One log: its markets' viewers, sampled every {@code stepSeconds}. */
  record Log(String name, Trace trace, double stepSeconds) {
    double lengthSeconds() {
      return trace.length().toMillis() / 1000.0;
    }

    /** The log's markets, sorted. */
    List<String> markets() {
      return List.copyOf(trace.keys(TraceKind.VIEWERS));
    }

    double viewersAt(String market, double seconds) {
      return trace.valueAt(TraceKind.VIEWERS, market, seconds);
    }
  }

  private static final List<Log> LOGS = FILES.stream().map(RealViewerLogs::load).toList();

  private RealViewerLogs() {}

  static List<Log> all() {
    return LOGS;
  }

  /**
   * Reads a bundled log's viewers rows. The files are the repository's own and a test parses them
   * with {@link TraceParser}, so this reader only skips the header and comments.
   */
  private static Log load(String file) {
    String text;
    try (InputStream in = RealViewerLogs.class.getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        throw new IllegalStateException("no bundled real log " + FOLDER + file);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Trace.Builder rows = new Trace.Builder();
    double step = Double.MAX_VALUE;
    double last = 0;
    for (String line : text.lines().skip(1).toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",");
      double t = Double.parseDouble(cells[0]);
      if (t > last) {
        step = Math.min(step, t - last);
        last = t;
      }
      if (cells[1].equals("viewers")) {
        rows.add(TraceKind.VIEWERS, cells[2], t, Double.parseDouble(cells[3]));
      }
    }
    return new Log(file.substring(0, file.length() - ".csv".length()), rows.build(file), step);
  }
}
