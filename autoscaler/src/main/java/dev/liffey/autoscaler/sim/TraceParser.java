package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Market;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the trace format: CSV with header {@code t,kind,key,value}; {@code t} seconds from the
 * start, never decreasing; {@code kind} viewers (key: market), streams (key: region) or latency
 * (key: region, extra ms). Blank lines and lines starting with {@code #} are skipped. Bad rows are
 * rejected with their line number; up to {@value #MAX_PROBLEMS} problems are reported at once.
 */
public final class TraceParser {
  public static final String HEADER = "t,kind,key,value";
  static final int MAX_PROBLEMS = 20;

  private final Set<String> markets;
  private final Set<String> regions;

  public TraceParser(EdgeConfig config) {
    this.markets = new TreeSet<>(config.markets().stream().map(Market::code).toList());
    this.regions = new TreeSet<>(config.regionIds());
  }

  public Trace parse(Path file) throws InvalidTraceException, IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(file.toString(), reader);
    } catch (NoSuchFileException e) {
      throw new InvalidTraceException(file.toString(), List.of(file + ": file not found"));
    }
  }

  public Trace parse(String source, Reader reader) throws InvalidTraceException, IOException {
    List<String> problems = new ArrayList<>();
    Trace.Builder builder = new Trace.Builder();
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    String header = in.readLine();
    int lineNo = 1;
    if (header == null || !header.strip().equals(HEADER)) {
      throw new InvalidTraceException(source, List.of(source + ":1: missing header: the first line must be '"
          + HEADER + "'" + (header == null ? " (the file is empty)" : ", got '" + header.strip() + "'")));
    }
    double lastT = 0;
    String line;
    while ((line = in.readLine()) != null && problems.size() < MAX_PROBLEMS) {
      lineNo++;
      String row = line.strip();
      if (row.isEmpty() || row.startsWith("#")) {
        continue;
      }
      String at = source + ":" + lineNo + ": ";
      String[] cells = row.split(",", -1);
      if (cells.length != 4) {
        problems.add(at + "expected 4 cells (t,kind,key,value), got " + cells.length);
        continue;
      }
      Double t = number(cells[0], "t", at, problems);
      var kind = TraceKind.fromCsv(cells[1].strip());
      String key = cells[2].strip();
      Double value = number(cells[3], "value", at, problems);
      // Time order holds over every row whose time can be read, whatever else is wrong with it.
      if (t != null && t < lastT) {
        problems.add(at + "time goes backwards: " + cells[0].strip() + " after " + fmt(lastT)
            + " (rows must be in time order)");
        continue;
      }
      if (t != null) {
        lastT = t;
      }
      if (kind.isEmpty()) {
        problems.add(at + "unknown kind '" + cells[1].strip() + "': use viewers, streams or latency");
        continue;
      }
      if (t == null || value == null) {
        continue;
      }
      if (value < 0) {
        problems.add(at + "negative " + kind.get().csvName() + " value " + cells[3].strip());
        continue;
      }
      boolean byMarket = kind.get() == TraceKind.VIEWERS;
      Set<String> known = byMarket ? markets : regions;
      if (!known.contains(key)) {
        problems.add(at + "unknown " + (byMarket ? "market" : "region") + " '" + key + "': the config has "
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
