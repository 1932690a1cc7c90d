package dev.liffey.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.sim.BundledTraces;
import dev.liffey.autoscaler.sim.Policies;
import dev.liffey.autoscaler.sim.RegionStep;
import dev.liffey.autoscaler.sim.Scorecard;
import dev.liffey.autoscaler.sim.Simulation;
import dev.liffey.autoscaler.sim.Trace;
import dev.liffey.autoscaler.sim.TraceDemand;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationReportTest {
  private static final EdgeConfig EDGE = load();
  private static final SimulationReport REPORT = new SimulationReport(EDGE);

  /**
   * Liffey and target tracking on viral-spike: Dublin fills under target tracking, never under
   * Liffey.
   */
  private static SimulationReport.TraceRun viralSpike;

  @TempDir Path dir;

  private static EdgeConfig load() {
    try {
      return new EdgeConfigLoader().load(Path.of("..", "edge-regions.yaml")).config();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void runViralSpike() throws Exception {
    Trace trace = BundledTraces.viralSpike(EDGE);
    Map<String, Scorecard> cards = new LinkedHashMap<>();
    Map<String, List<RegionStep>> steps = new LinkedHashMap<>();
    for (String policy : List.of("target-tracking", "liffey")) {
      Simulation.Prepared run =
          new Simulation(EDGE, trace, Simulation.DEFAULT_START)
              .prepare(
                  () ->
                      Policies.create(
                          policy, EDGE, new TraceDemand(trace, Simulation.DEFAULT_START)));
      List<RegionStep> recorded = new ArrayList<>();
      while (run.hasNext()) {
        run.tick();
        recorded.addAll(run.cloud().lastSteps());
      }
      cards.put(policy, run.scorecard());
      steps.put(policy, recorded);
    }
    viralSpike = new SimulationReport.TraceRun(trace.name(), cards, steps);
  }

  private static XYPlot viewersPanel(JFreeChart chart) {
    return panels(chart).get(0);
  }

  private static XYPlot latencyPanel(JFreeChart chart) {
    return panels(chart).get(1);
  }

  @SuppressWarnings("unchecked")
  private static List<XYPlot> panels(JFreeChart chart) {
    return ((CombinedDomainXYPlot) chart.getPlot()).getSubplots();
  }

  private static List<String> legend(JFreeChart chart) {
    LegendItemCollection items = chart.getPlot().getLegendItems();
    return IntStream.range(0, items.getItemCount()).mapToObj(i -> items.get(i).getLabel()).toList();
  }

  private static List<Object> keys(XYDataset data) {
    return IntStream.range(0, data.getSeriesCount())
        .mapToObj(i -> (Object) data.getSeriesKey(i))
        .toList();
  }

  /** A run of every policy on one region, its steps made by {@code step}. */
  private static SimulationReport.TraceRun run(
      List<String> policies, int steps, IntFunction<RegionStep> step) {
    Map<String, List<RegionStep>> byPolicy = new LinkedHashMap<>();
    policies.forEach(p -> byPolicy.put(p, IntStream.range(0, steps).mapToObj(step).toList()));
    return new SimulationReport.TraceRun("t.csv", Map.of(), byPolicy);
  }

  private static RegionStep quiet(int i) {
    return new RegionStep(10.0 * i, "eu-west-1", 5_000, 0, 6_000, 20);
  }

  @Test
  void aChartHasAViewersPanelAboveALatencyPanel_eachWithOneSeriesPerPolicy() {
    JFreeChart chart = REPORT.chart(viralSpike, EDGE.region("eu-west-1"));

    assertThat(panels(chart)).hasSize(2);
    XYPlot viewers = viewersPanel(chart);
    assertThat(viewers.getRangeAxis().getLabel()).isEqualTo("viewers");
    assertThat(keys(viewers.getDataset(SimulationReport.CAPACITY)))
        .containsExactly("liffey", "target-tracking");
    assertThat(keys(viewers.getDataset(SimulationReport.WANTED)))
        .containsExactly("liffey", "target-tracking");
    XYPlot latency = latencyPanel(chart);
    assertThat(latency.getRangeAxis().getLabel()).isEqualTo("edge latency p95 (ms)");
    assertThat(keys(latency.getDataset())).containsExactly("liffey", "target-tracking");
    assertThat(latency.getDataset().getYValue(0, 0)).isBetween(5.0, 50.0);
    assertThat(chart.getTitle().getText()).isEqualTo("viral-spike: Dublin (eu-west-1)");
  }

  @Test
  void theLatencyPanelMarksTheConfiguredSlo_andReachesAboveIt() {
    XYPlot latency = latencyPanel(REPORT.chart(viralSpike, EDGE.region("eu-west-1")));

    List<Marker> markers =
        new ArrayList<>(latency.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND));
    assertThat(markers).hasSize(1);
    assertThat(((ValueMarker) markers.get(0)).getValue())
        .isEqualTo(EDGE.scaling().latencySloMillis())
        .isEqualTo(150);
    assertThat(markers.get(0).getLabel()).isEqualTo("SLO 150 ms");
    assertThat(latency.getRangeAxis().getUpperBound()).isGreaterThan(150);
  }

  @Test
  void
      viewersTargetTrackingLeftWaitingAreShaded_betweenThoseServedAndThoseWhoWanted_andLiffeyHasNoShade() {
    JFreeChart chart = REPORT.chart(viralSpike, EDGE.region("eu-west-1"));

    YIntervalSeriesCollection unserved =
        (YIntervalSeriesCollection) viewersPanel(chart).getDataset(SimulationReport.UNSERVED);
    assertThat(keys(unserved)).containsExactly("target-tracking");
    double widest = 0;
    for (int i = 0; i < unserved.getItemCount(0); i++) {
      assertThat(unserved.getEndYValue(0, i))
          .isEqualTo(unserved.getYValue(0, i)); // up to those who wanted
      widest = Math.max(widest, unserved.getEndYValue(0, i) - unserved.getStartYValue(0, i));
    }
    assertThat(widest).isGreaterThan(500);
    // Before the spike everyone was served: no shade.
    assertThat(unserved.getEndYValue(0, 0) - unserved.getStartYValue(0, 0)).isZero();
    assertThat(legend(chart)).hasSize(2).first().isEqualTo("liffey");
    assertThat(legend(chart).get(1)).matches("target-tracking \\(up to [\\d,]+ waiting\\)");
  }

  @Test
  void aRegionEveryPolicyServedInFullHasNoShadeAtAll() {
    JFreeChart chart =
        REPORT.chart(
            run(List.of("liffey", "static"), 100, SimulationReportTest::quiet),
            EDGE.region("eu-west-1"));

    assertThat(viewersPanel(chart).getDataset(SimulationReport.UNSERVED).getSeriesCount()).isZero();
  }

  @Test
  void everyPolicyHasItsOwnColourAndDash_inBothPanels_withLiffeyThickerAndDrawnLast() {
    JFreeChart chart =
        REPORT.chart(
            run(Policies.NAMES, 50, SimulationReportTest::quiet), EDGE.region("eu-west-1"));

    for (XYPlot panel : List.of(viewersPanel(chart), latencyPanel(chart))) {
      XYItemRenderer lines = panel.getRenderer(0);
      XYDataset data = panel.getDataset(0);
      assertThat(data.getSeriesCount()).isEqualTo(Policies.NAMES.size());
      Set<Object> paints = new HashSet<>();
      Set<Object> dashes = new HashSet<>();
      for (int i = 0; i < data.getSeriesCount(); i++) {
        paints.add(lines.getSeriesPaint(i));
        float[] dash = ((BasicStroke) lines.getSeriesStroke(i)).getDashArray();
        dashes.add(
            dash == null
                ? List.of()
                : IntStream.range(0, dash.length).mapToObj(j -> dash[j]).toList());
      }
      assertThat(paints).hasSize(Policies.NAMES.size());
      assertThat(dashes).hasSize(Policies.NAMES.size());
      assertThat(data.getSeriesKey(0)).isEqualTo("liffey");
      assertThat(panel.getSeriesRenderingOrder())
          .isEqualTo(SeriesRenderingOrder.REVERSE); // series 0 on top
      float liffey = ((BasicStroke) lines.getSeriesStroke(0)).getLineWidth();
      for (int i = 1; i < data.getSeriesCount(); i++) {
        assertThat(((BasicStroke) lines.getSeriesStroke(i)).getLineWidth()).isLessThan(liffey);
      }
    }
    assertThat(legend(chart)).containsExactlyElementsOf(Policies.NAMES);
  }

  @Test
  void aPolicyKeepsItsColourWhateverElseRan() {
    JFreeChart all =
        REPORT.chart(
            run(Policies.NAMES, 10, SimulationReportTest::quiet), EDGE.region("eu-west-1"));
    JFreeChart two =
        REPORT.chart(
            run(List.of("oracle", "liffey"), 10, SimulationReportTest::quiet),
            EDGE.region("eu-west-1"));

    assertThat(viewersPanel(two).getRenderer(0).getSeriesPaint(1))
        .isEqualTo(
            viewersPanel(all).getRenderer(0).getSeriesPaint(Policies.NAMES.indexOf("oracle")));
  }

  @Test
  void aWeekIsThinnedToItsWorstSteps_soOneStepOfWaitingAndOneBreachStillShow() {
    int week = 7 * 24 * 360;
    JFreeChart chart =
        REPORT.chart(
            run(
                List.of("liffey"),
                week,
                i ->
                    i == 40_001
                        ? new RegionStep(10.0 * i, "eu-west-1", 6_300, 300, 6_000, 409)
                        : i % 1000 == 0
                            ? new RegionStep(10.0 * i, "eu-west-1", 0, 0, 6_000, Double.NaN)
                            : quiet(i)),
            EDGE.region("eu-west-1"));

    YIntervalSeriesCollection unserved =
        (YIntervalSeriesCollection) viewersPanel(chart).getDataset(SimulationReport.UNSERVED);
    assertThat(unserved.getItemCount(0)).isLessThanOrEqualTo(SimulationReport.MAX_POINTS);
    double widest =
        IntStream.range(0, unserved.getItemCount(0))
            .mapToDouble(i -> unserved.getEndYValue(0, i) - unserved.getStartYValue(0, i))
            .max()
            .orElseThrow();
    assertThat(widest).isEqualTo(300);
    XYDataset latency = latencyPanel(chart).getDataset();
    assertThat(
            IntStream.range(0, latency.getItemCount(0))
                .mapToDouble(i -> latency.getYValue(0, i))
                .max())
        .hasValue(409);
    assertThat(viewersPanel(chart).getDomainAxis().getLabel())
        .isEqualTo("hours since the trace's start");
  }

  @Test
  void viewersWhoseStreamNoTranscoderCarried_areShadedAsWaiting_withThoseRefusedAJoin() {
    // A GPU shortage: every viewer admitted, 1,200 of them on streams no transcoder carries, and
    // 300 more refused a join.
    JFreeChart chart =
        REPORT.chart(
            run(
                List.of("target-tracking"),
                10,
                i ->
                    i == 5
                        ? new RegionStep(50, "eu-west-1", 6_300, 300, 6_000, 20, 1_200)
                        : quiet(i)),
            EDGE.region("eu-west-1"));

    YIntervalSeriesCollection unserved =
        (YIntervalSeriesCollection) viewersPanel(chart).getDataset(SimulationReport.UNSERVED);
    assertThat(unserved.getSeriesCount()).isOne();
    assertThat(unserved.getStartYValue(0, 5)).isEqualTo(4_800);
    assertThat(unserved.getEndYValue(0, 5)).isEqualTo(6_300);
    assertThat(legend(chart)).containsExactly("target-tracking (up to 1,500 waiting)");
  }

  @Test
  void aStepThatServedNoOneLeavesAGapInTheLatencyLine() {
    JFreeChart chart =
        REPORT.chart(
            run(
                List.of("liffey"),
                10,
                i -> i == 5 ? new RegionStep(50, "eu-west-1", 0, 0, 6_000, Double.NaN) : quiet(i)),
            EDGE.region("eu-west-1"));

    XYDataset latency = latencyPanel(chart).getDataset();
    assertThat(latency.getY(0, 5)).isNull();
    assertThat(latency.getY(0, 4)).isEqualTo(20.0);
  }

  @Test
  void writeLeavesA1400By800PngPerRegion_andTheSummary() throws Exception {
    List<Path> written =
        REPORT.write(dir, List.of(run(List.of("liffey", "target-tracking"), 30, i -> quiet(i))));

    assertThat(written)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("t-eu-west-1.png", "t-eu-west-2.png", "t-eu-central-1.png", "summary.md");
    for (Path png : written.subList(0, 3)) {
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1400);
      assertThat(image.getHeight()).isEqualTo(800);
    }
  }
}
