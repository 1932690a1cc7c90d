package dev.liffey.cli.report;

import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.sim.Policies;
import dev.liffey.autoscaler.sim.RegionStep;
import dev.liffey.autoscaler.sim.Scorecard;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.Region;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The simulator's report: a chart per trace and region, a markdown summary, Liffey's verdict. Each
 * chart has two panels over the same time axis: viewers against in-service relay capacity per
 * policy, shaded where viewers waited, and the edge latency p95 of the viewers served per policy
 * against the SLO. A policy keeps its colour and dash pattern in every chart. Not thread-safe.
 */
public final class SimulationReport {
  /** Points per line at most: a week at 10-second steps would otherwise be 60,000 per line. */
  static final int MAX_POINTS = 1500;

  static final int WIDTH_PIXELS = 1400;
  static final int HEIGHT_PIXELS = 800;

  /**
   * The top panel's datasets; a plot draws its last dataset first, so capacity lies on top of the
   * shading.
   */
  static final int CAPACITY = 0;

  static final int WANTED = 1;
  static final int UNSERVED = 2;

  /**
   * Refused joins below half a viewer are the simulator's arithmetic, not a viewer left waiting.
   */
  static final double UNSERVED_FLOOR_VIEWERS = 0.5;

  /**
   * One colour per policy, in {@link Policies#NAMES}' order: ColorBrewer Dark2 (qualitative, 8
   * colours that stay apart on white), then Set1's blue, red, purple and orange, and Tableau's
   * cyan, for policies beyond.
   */
  private static final Color[] POLICY_COLOURS = {
    new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3), new Color(0x666666),
        new Color(0xe7298a),
    new Color(0x66a61e), new Color(0xe6ab02), new Color(0xa6761d), new Color(0x377eb8),
        new Color(0xe41a1c),
    new Color(0x984ea3), new Color(0xff7f00), new Color(0x17becf)
  };

  /**
   * One dash pattern per policy (in pixels, on and off), so lines that coincide still show each
   * colour: Liffey's solid, the others' of different lengths and rhythms.
   */
  private static final float[][] DASHES = {
    null,
    {12f, 5f},
    {2f, 4f},
    {16f, 4f, 3f, 4f},
    {7f, 4f},
    {10f, 3f, 2f, 3f, 2f, 3f},
    {4f, 7f},
    {22f, 6f},
    {5f, 3f, 1f, 3f},
    {9f, 9f},
    {1f, 2f},
    {14f, 3f, 6f, 3f},
    {3f, 3f, 12f, 3f}
  };

  private static final Color SLO_COLOUR = new Color(0xb2182b);

  private final EdgeConfig config;

  public SimulationReport(EdgeConfig config) {
    this.config = config;
  }

  /** One trace's scorecards and, per policy, what each region served step by step. */
  public record TraceRun(
      String trace, Map<String, Scorecard> cards, Map<String, List<RegionStep>> steps) {}

  /** Writes {@code <trace>-<region>.png} for every trace and region, and {@code summary.md}. */
  public List<Path> write(Path dir, List<TraceRun> runs) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    StringBuilder md = new StringBuilder("# Liffey simulation report\n\n");
    md.append(markdownTable(runs.stream().map(r -> Map.entry(r.trace(), r.cards())).toList()))
        .append('\n');
    for (TraceRun run : runs) {
      md.append("## ").append(run.trace()).append("\n\n");
      List<String> judged = new TraceJudgement(run.trace(), run.cards()).lines();
      if (!judged.isEmpty()) {
        md.append("Liffey, judged as the suite judges a seed:\n\n");
        judged.forEach(l -> md.append("- ").append(l).append('\n'));
        md.append('\n');
      }
      for (Region region : config.regions()) {
        Path png = dir.resolve(stem(run.trace()) + "-" + region.id() + ".png");
        ChartUtils.saveChartAsPNG(png.toFile(), chart(run, region), WIDTH_PIXELS, HEIGHT_PIXELS);
        written.add(png);
        md.append("![")
            .append(region.city())
            .append("](")
            .append(png.getFileName())
            .append(")\n\n");
      }
    }
    Path summary = dir.resolve("summary.md");
    Files.writeString(summary, md.toString());
    written.add(summary);
    return written;
  }

  /**
   * One region's chart: a {@link CombinedDomainXYPlot} of the viewers panel (datasets {@link
   * #CAPACITY}, {@link #WANTED} and {@link #UNSERVED}, one series per policy keyed by its name;
   * {@link #UNSERVED} only for policies that left viewers waiting there) above the latency panel
   * (one series per policy).
   */
  JFreeChart chart(TraceRun run, Region region) {
    List<String> policies = liffeyFirst(run.steps().keySet());
    boolean hours =
        run.steps().values().stream()
                .flatMap(List::stream)
                .mapToDouble(RegionStep::elapsedSeconds)
                .max()
                .orElse(0)
            > 6 * 3600;
    double unit = hours ? 3600 : 60;
    XYSeriesCollection capacity = new XYSeriesCollection();
    XYSeriesCollection wanted = new XYSeriesCollection();
    YIntervalSeriesCollection unserved = new YIntervalSeriesCollection();
    XYSeriesCollection latency = new XYSeriesCollection();
    LegendItemCollection legend = new LegendItemCollection();
    double maxLatency = 0;
    for (String policy : policies) {
      List<RegionStep> steps =
          run.steps().get(policy).stream().filter(s -> s.region().equals(region.id())).toList();
      XYSeries cap = new XYSeries(policy);
      XYSeries want = new XYSeries(policy);
      YIntervalSeries waiting = new YIntervalSeries(policy);
      XYSeries p95 = new XYSeries(policy);
      double peakWaiting = 0;
      int stride = Math.max(1, (steps.size() + MAX_POINTS - 1) / MAX_POINTS);
      for (int i = 0; i < steps.size(); i += stride) {
        // Each point stands for its stride of steps by their worst, so no wait and no breach of the
        // SLO is
        // thinned away.
        List<RegionStep> bucket = steps.subList(i, Math.min(steps.size(), i + stride));
        RegionStep worst =
            bucket.stream()
                .reduce(worse(Comparator.comparingDouble(RegionStep::waitingViewers)))
                .orElseThrow();
        double x = worst.elapsedSeconds() / unit;
        cap.add(x, worst.capacity());
        want.add(x, worst.viewers());
        waiting.add(x, worst.viewers(), worst.viewers() - worst.waitingViewers(), worst.viewers());
        peakWaiting = Math.max(peakWaiting, worst.waitingViewers());
        double slowest =
            bucket.stream()
                .mapToDouble(RegionStep::latencyP95Millis)
                .filter(ms -> !Double.isNaN(ms))
                .max()
                .orElse(Double.NaN);
        p95.add(bucket.get(0).elapsedSeconds() / unit, Double.isNaN(slowest) ? null : slowest);
        maxLatency = Double.isNaN(slowest) ? maxLatency : Math.max(maxLatency, slowest);
      }
      capacity.addSeries(cap);
      wanted.addSeries(want);
      latency.addSeries(p95);
      boolean leftWaiting = peakWaiting >= UNSERVED_FLOOR_VIEWERS;
      if (leftWaiting) {
        unserved.addSeries(waiting);
      }
      LegendItem item =
          new LegendItem(
              leftWaiting
                  ? String.format(Locale.ROOT, "%s (up to %,.0f waiting)", policy, peakWaiting)
                  : policy,
              null,
              null,
              null,
              new Line2D.Double(-15, 0, 15, 0),
              stroke(policy, policies, isLiffey(policy) ? 3.2f : 2f),
              colour(policy, policies));
      item.setSeriesKey(policy);
      legend.add(item);
    }

    NumberAxis time =
        new NumberAxis(hours ? "hours since the trace's start" : "minutes since the trace's start");
    time.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
    plot.setGap(12);
    XYPlot viewers = panel(new NumberAxis("viewers"));
    viewers.setDataset(CAPACITY, capacity);
    viewers.setRenderer(CAPACITY, lines(capacity, policies, 1.8f, 3.2f, 255));
    viewers.setDataset(WANTED, wanted);
    viewers.setRenderer(WANTED, lines(wanted, policies, 0.9f, 1.4f, 150));
    viewers.setDataset(UNSERVED, unserved);
    viewers.setRenderer(UNSERVED, shading(unserved, policies));
    plot.add(viewers, 5);

    int slo = config.scaling().latencySloMillis();
    NumberAxis millis = new NumberAxis("edge latency p95 (ms)");
    millis.setRange(0, Math.max(maxLatency, slo) * 1.1);
    XYPlot latencyPanel = panel(millis);
    latencyPanel.setDataset(latency);
    latencyPanel.setRenderer(lines(latency, policies, 1.5f, 2.6f, 255));
    ValueMarker sloMarker =
        new ValueMarker(
            slo,
            SLO_COLOUR,
            new BasicStroke(
                1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    sloMarker.setLabel("SLO " + slo + " ms");
    sloMarker.setLabelPaint(SLO_COLOUR);
    sloMarker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
    sloMarker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    sloMarker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    sloMarker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    latencyPanel.addRangeMarker(sloMarker);
    plot.add(latencyPanel, 3);
    plot.setFixedLegendItems(legend);

    JFreeChart chart =
        new JFreeChart(
            stem(run.trace()) + ": " + region.city() + " (" + region.id() + ")",
            JFreeChart.DEFAULT_TITLE_FONT,
            plot,
            true);
    chart.addSubtitle(
        new TextTitle(
            "top: in-service relay capacity (thick) and viewers who wanted the region (thin)"
                + " per policy, shaded where viewers waited (refused a join, or their stream not"
                + " transcoded); bottom: edge latency p95 of the viewers served",
            new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    chart.getLegend().setPosition(RectangleEdge.BOTTOM);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static XYPlot panel(NumberAxis range) {
    XYPlot panel = new XYPlot();
    panel.setRangeAxis(range);
    panel.setBackgroundPaint(Color.WHITE);
    panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
    panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
    // Series 0 (Liffey) is drawn last, on top of the baselines.
    panel.setSeriesRenderingOrder(SeriesRenderingOrder.REVERSE);
    return panel;
  }

  private static XYItemRenderer lines(
      XYDataset data, List<String> policies, float width, float liffeyWidth, int alpha) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    // One path per series, so a dash pattern runs on along the line instead of restarting at every
    // point.
    renderer.setDrawSeriesLineAsPath(true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      String policy = (String) data.getSeriesKey(i);
      Color c = colour(policy, policies);
      renderer.setSeriesPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha));
      renderer.setSeriesStroke(i, stroke(policy, policies, isLiffey(policy) ? liffeyWidth : width));
    }
    return renderer;
  }

  private static XYItemRenderer shading(XYDataset data, List<String> policies) {
    DeviationRenderer renderer = new DeviationRenderer(false, false);
    renderer.setAlpha(0.3f);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      Color c = colour((String) data.getSeriesKey(i), policies);
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesFillPaint(i, c);
    }
    return renderer;
  }

  /** Liffey first (drawn on top, first in the legend), then the others as they ran. */
  private static List<String> liffeyFirst(Collection<String> policies) {
    List<String> out =
        new ArrayList<>(policies.stream().filter(SimulationReport::isLiffey).toList());
    policies.stream().filter(p -> !isLiffey(p)).forEach(out::add);
    return out;
  }

  private static boolean isLiffey(String policy) {
    return policy.equals(LiffeyPolicy.NAME);
  }

  /**
   * A policy's place in the palette: its place in {@link Policies#NAMES}, the same in every chart.
   */
  private static int slot(String policy, List<String> policies) {
    int known = Policies.NAMES.indexOf(policy);
    if (known >= 0) {
      return known;
    }
    List<String> unknown = policies.stream().filter(p -> !Policies.NAMES.contains(p)).toList();
    return Policies.NAMES.size() + unknown.indexOf(policy);
  }

  static Color colour(String policy, List<String> policies) {
    return POLICY_COLOURS[slot(policy, policies) % POLICY_COLOURS.length];
  }

  private static Stroke stroke(String policy, List<String> policies, float width) {
    float[] dash = DASHES[slot(policy, policies) % DASHES.length];
    return dash == null
        ? new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
        : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
  }

  /** Of two steps, the one with more of {@code how}; the earlier on a tie. */
  private static BinaryOperator<RegionStep> worse(Comparator<RegionStep> how) {
    return (a, b) -> how.compare(b, a) > 0 ? b : a;
  }

  /** One markdown table for many traces. */
  public static String markdownTable(List<Map.Entry<String, Map<String, Scorecard>>> traces) {
    StringBuilder md =
        new StringBuilder(
            "| trace | policy | unserved viewer·s | slow viewer·s | cost USD | cost / oracle | egress USD | actions | p95 ms |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map.Entry<String, Map<String, Scorecard>> t : traces) {
      Scorecard oracle = t.getValue().get("oracle");
      for (Scorecard c : t.getValue().values()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %,.0f | %,.0f | %.2f | %s | %,.2f | %d | %.0f |%n",
                stem(t.getKey()),
                c.policy().equals("liffey") ? "**liffey**" : c.policy(),
                c.unservedViewerSeconds(),
                c.slowViewerSeconds(),
                c.costUsd(),
                oracle == null
                    ? ""
                    : String.format(Locale.ROOT, "%.2fx", c.costUsd() / oracle.costUsd()),
                c.egressUsd(),
                c.scalingActions(),
                c.p95LatencyMillis()));
      }
    }
    return md.toString();
  }

  private static String stem(String traceName) {
    String name = Path.of(traceName).getFileName().toString();
    return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
  }
}
