package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import dev.liffey.core.io.TextFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the trace format: CSV with header {@code t,kind,key,value}; {@code t} seconds from the
 * start, never decreasing; {@code kind} viewers (key: market), streams (key: region), latency (key:
 * region, extra ms), session (key: market, mean seconds a viewer watches), session_cv (key: market,
 * how widely session lengths spread: their coefficient of variation, 1-10), shortage (key:
 * region/instance-type, instances of that type EC2 can run there) or bots (key: market, bot clients
 * trying to join with tokens no relay verifies). Blank lines and lines starting with {@code #} are
 * skipped. Bad rows are rejected with their line number; up to {@value #MAX_PROBLEMS} problems are
 * reported at once. Bounded, so a wrong file or a typo is an error at once rather than a replay
 * that never ends: a file of at most {@link #MAX_FILE_BYTES}, {@value #MAX_ROWS} rows, and no row
 * after {@link #HORIZON}.
 */
public final class TraceParser {
  public static final String HEADER = "t,kind,key,value";
  static final int MAX_PROBLEMS = 20;

  /**
   * Twice the longest bundled trace (a week, at one-minute rows): a simulation replays every tick
   * up to the last row.
   */
  public static final Duration HORIZON = Duration.ofDays(14);

  /** Thirty times the longest bundled trace's rows. */
  public static final int MAX_ROWS = 1_000_000;

  /** A million rows of about 30 bytes, with room for comments. */
  public static final long MAX_FILE_BYTES = 64L << 20;

  private final Set<String> markets;
  private final Set<String> gpuGroups;
  private final Set<String> regions;

  public TraceParser(EdgeConfig config) {
    this.markets = new TreeSet<>(config.markets().stream().map(Market::code).toList());
    this.regions = new TreeSet<>(config.regionIds());
    this.gpuGroups = new TreeSet<>();
    config
        .regions()
        .forEach(
            r ->
                r.transcode()
                    .forEach(
                        p -> gpuGroups.add(Trace.gpuGroup(r.id(), p.sizing().instanceType()))));
  }

  /**
   * A trace file: only a regular file of at most {@link #MAX_FILE_BYTES} is read (never a device or
   * a pipe).
   */
  public Trace parse(Path file) throws InvalidTraceException, IOException {
    String text;
    try {
      text = TextFile.read(file, MAX_FILE_BYTES);
    } catch (TextFile.Unreadable e) {
      throw new InvalidTraceException(file.toString(), List.of(file + ": " + e.getMessage()));
    }
    return parse(file.toString(), new StringReader(text));
  }

  public Trace parse(String source, Reader reader) throws InvalidTraceException, IOException {
    List<String> problems = new ArrayList<>();
    Trace.Builder builder = new Trace.Builder();
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    String header = in.readLine();
    int lineNo = 1;
    if (header == null || !header.strip().equals(HEADER)) {
      throw new InvalidTraceException(
          source,
          List.of(
              source
                  + ":1: missing header: the first line must be '"
                  + HEADER
                  + "'"
                  + (header == null ? " (the file is empty)" : ", got '" + header.strip() + "'")));
    }
    double lastT = 0;
    int rows = 0;
    String line;
    while ((line = in.readLine()) != null && problems.size() < MAX_PROBLEMS) {
      lineNo++;
      String row = line.strip();
      if (row.isEmpty() || row.startsWith("#")) {
        continue;
      }
      String at = source + ":" + lineNo + ": ";
      if (++rows > MAX_ROWS) {
        problems.add(
            at + String.format(Locale.ROOT, "more than %,d rows: split the trace", MAX_ROWS));
        break;
      }
      String[] cells = row.split(",", -1);
      if (cells.length != 4) {
        problems.add(at + "expected 4 cells (t,kind,key,value), got " + cells.length);
        continue;
      }
      Double t = number(cells[0], "t", at, problems);
      if (t != null && t > HORIZON.toSeconds()) {
        problems.add(
            at
                + String.format(
                    Locale.ROOT,
                    "t %s is beyond the %d-day horizon (%,d s): fix the time, or"
                        + " split the trace",
                    cells[0].strip(),
                    HORIZON.toDays(),
                    HORIZON.toSeconds()));
        continue;
      }
      var kind = TraceKind.fromCsv(cells[1].strip());
      String key = cells[2].strip();
      Double value = number(cells[3], "value", at, problems);
      // Time order holds over every row whose time can be read, whatever else is wrong with it.
      if (t != null && t < lastT) {
        problems.add(
            at
                + "time goes backwards: "
                + cells[0].strip()
                + " after "
                + fmt(lastT)
                + " (rows must be in time order)");
        continue;
      }
      if (t != null) {
        lastT = t;
      }
      if (kind.isEmpty()) {
        problems.add(
            at
                + "unknown kind '"
                + cells[1].strip()
                + "': use viewers, streams, latency, session, session_cv, shortage, bots or"
                + " publishing");
        continue;
      }
      if (t == null || value == null) {
        continue;
      }
      if (value < 0) {
        problems.add(at + "negative " + kind.get().csvName() + " value " + cells[3].strip());
        continue;
      }
      if (kind.get() == TraceKind.PUBLISHING && value > 1) {
        problems.add(
            at
                + "publishing value "
                + cells[3].strip()
                + " is a share of the region's relays: 0 to 1 (1: every relay publishes)");
        continue;
      }
      if (kind.get() == TraceKind.SESSION_CV && value != 0 && !SessionLength.takes(value)) {
        problems.add(
            at
                + "session_cv value "
                + cells[3].strip()
                + " is how widely session lengths spread (their coefficient of variation): 1"
                + " (exponential) to 10, or 0 for the default");
        continue;
      }
      if (kind.get() == TraceKind.SHORTAGE) {
        if (!gpuGroups.contains(key)) {
          problems.add(
              at
                  + "unknown GPU group '"
                  + key
                  + "': use region/instance-type, one of "
                  + String.join(", ", gpuGroups));
          continue;
        }
        builder.add(kind.get(), key, t, value);
        continue;
      }
      boolean byMarket =
          kind.get() == TraceKind.VIEWERS
              || kind.get() == TraceKind.SESSION
              || kind.get() == TraceKind.SESSION_CV
              || kind.get() == TraceKind.BOTS;
      Set<String> known = byMarket ? markets : regions;
      if (!known.contains(key)) {
        problems.add(
            at
                + "unknown "
                + (byMarket ? "market" : "region")
                + " '"
                + key
                + "': the config has "
                + String.join(", ", known));
        continue;
      }
      builder.add(kind.get(), key, t, value);
    }
    if (!problems.isEmpty()) {
      throw new InvalidTraceException(source, problems);
    }
    if (lineNo == 1) {
      throw new InvalidTraceException(source, List.of(source + ": no rows after the header"));
    }
    return builder.build(source);
  }

  private static Double number(String cell, String what, String at, List<String> problems) {
    try {
      double v = Double.parseDouble(cell.strip());
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      problems.add(at + what + " '" + cell.strip() + "' is not a number");
      return null;
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
