package dev.liffey.cli.report;

import dev.liffey.autoscaler.sim.RegionStep;
import dev.liffey.autoscaler.sim.Scorecard;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Region;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The simulator's report: a chart per trace and region, a markdown summary, Liffey's verdict. */
public final class SimulationReport {
  static final int MAX_POINTS = 1500;
  private static final Color[] POLICY_COLOURS = {
    new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3), new Color(0x999999)
  };

  private final EdgeConfig config;

  public SimulationReport(EdgeConfig config) {
    this.config = config;
  }

  /** One trace's scorecards and, per policy, what each region served step by step. */
  public record TraceRun(String trace, Map<String, Scorecard> cards, Map<String, List<RegionStep>> steps) {}

  /** Writes {@code <trace>-<region>.png} for every trace and region, and {@code summary.md}. */
  public List<Path> write(Path dir, List<TraceRun> runs) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    StringBuilder md = new StringBuilder("# Liffey simulation report\n\n");
    md.append(markdownTable(runs.stream().map(r -> Map.entry(r.trace(), r.cards())).toList())).append('\n');
    for (TraceRun run : runs) {
      md.append("## ").append(run.trace()).append("\n\n");
      verdict(run.cards()).ifPresent(v -> md.append("Liffey: ").append(v).append("\n\n"));
      for (Region region : config.regions()) {
        Path png = dir.resolve(stem(run.trace()) + "-" + region.id() + ".png");
        ChartUtils.saveChartAsPNG(png.toFile(), chart(run, region), 1200, 520);
        written.add(png);
        md.append("![").append(region.city()).append("](").append(png.getFileName()).append(")\n\n");
      }
    }
    Path summary = dir.resolve("summary.md");
    Files.writeString(summary, md.toString());
    written.add(summary);
    return written;
  }

  private JFreeChart chart(TraceRun run, Region region) {
    XYSeriesCollection data = new XYSeriesCollection();
    boolean hours = run.steps().values().stream().flatMap(List::stream)
        .mapToDouble(RegionStep::elapsedSeconds).max().orElse(0) > 6 * 3600;
    double unit = hours ? 3600 : 60;
    int colour = 0;
    List<Color> colours = new ArrayList<>();
    List<Boolean> dashed = new ArrayList<>();
    for (Map.Entry<String, List<RegionStep>> e : run.steps().entrySet()) {
      List<RegionStep> steps = e.getValue().stream().filter(s -> s.region().equals(region.id())).toList();
      int stride = Math.max(1, (steps.size() + MAX_POINTS - 1) / MAX_POINTS);
      XYSeries viewers = new XYSeries("viewers routed (" + e.getKey() + ")");
      XYSeries capacity = new XYSeries("in-service capacity (" + e.getKey() + ")");
      for (int i = 0; i < steps.size(); i += stride) {
        RegionStep s = steps.get(i);
        viewers.add(s.elapsedSeconds() / unit, s.viewers());
        capacity.add(s.elapsedSeconds() / unit, s.capacity());
      }
      Color c = POLICY_COLOURS[colour++ % POLICY_COLOURS.length];
      if (e.getKey().equals("liffey") || e.getKey().equals("target-tracking")) {
        data.addSeries(viewers);
        colours.add(c.darker());
        dashed.add(true);
      }
      data.addSeries(capacity);
      colours.add(c);
      dashed.add(false);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(
        run.trace() + ": " + region.city() + " (" + region.id() + "), viewers against relay capacity",
        hours ? "hours" : "minutes", "viewers", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < colours.size(); i++) {
      renderer.setSeriesPaint(i, colours.get(i));
      renderer.setSeriesStroke(i, dashed.get(i)
          ? new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f)
          : new BasicStroke(1.8f));
    }
    plot.setRenderer(renderer);
    return chart;
  }

  /** Liffey against its targets, when liffey, target-tracking and oracle were all scored. */
  public static Optional<String> verdict(Map<String, Scorecard> cards) {
    Scorecard liffey = cards.get("liffey");
    Scorecard tracking = cards.get("target-tracking");
    Scorecard oracle = cards.get("oracle");
    if (liffey == null || tracking == null || oracle == null) {
      return Optional.empty();
    }
    boolean unservedMet = liffey.unservedViewerSeconds() <= 0.05 * tracking.unservedViewerSeconds();
    double costRatio = liffey.costUsd() / oracle.costUsd();
    String unserved = tracking.unservedViewerSeconds() > 0
        ? String.format(Locale.ROOT, "unserved %.1f%% of target tracking's", 100 * liffey.unservedViewerSeconds()
            / tracking.unservedViewerSeconds())
        : String.format(Locale.ROOT, "unserved %,.0f (target tracking %,.0f)", liffey.unservedViewerSeconds(),
            tracking.unservedViewerSeconds());
    String slow = tracking.slowViewerSeconds() > 0
        ? String.format(Locale.ROOT, "; slow %.1f%% of target tracking's", 100 * liffey.slowViewerSeconds()
            / tracking.slowViewerSeconds())
        : "";
    return Optional.of(String.format(Locale.ROOT, "%s (target <= 5%%: %s); cost %.2fx the oracle's (target <= 1.25x: %s)%s",
        unserved, unservedMet ? "met" : "MISSED", costRatio, costRatio <= 1.25 ? "met" : "MISSED", slow));
  }

  /** One markdown table for many traces. */
  public static String markdownTable(List<Map.Entry<String, Map<String, Scorecard>>> traces) {
    StringBuilder md = new StringBuilder(
        "| trace | policy | unserved viewer·s | slow viewer·s | cost USD | cost / oracle | egress USD | actions | p95 ms |\n"
            + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map.Entry<String, Map<String, Scorecard>> t : traces) {
      Scorecard oracle = t.getValue().get("oracle");
      for (Scorecard c : t.getValue().values()) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f | %s | %,.2f | %d | %.0f |%n",
            stem(t.getKey()), c.policy().equals("liffey") ? "**liffey**" : c.policy(), c.unservedViewerSeconds(),
            c.slowViewerSeconds(), c.costUsd(),
            oracle == null ? "" : String.format(Locale.ROOT, "%.2fx", c.costUsd() / oracle.costUsd()), c.egressUsd(),
            c.scalingActions(), c.p95LatencyMillis()));
      }
    }
    return md.toString();
  }

  private static String stem(String traceName) {
    String name = Path.of(traceName).getFileName().toString();
    return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
  }
}
