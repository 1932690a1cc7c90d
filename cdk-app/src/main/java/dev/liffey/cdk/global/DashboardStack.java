package dev.liffey.cdk.global;

import dev.liffey.cdk.LiffeyStack;
import dev.liffey.core.config.Market;
import dev.liffey.core.config.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.constructs.Construct;

/**
 * One dashboard for the whole edge, in the primary region, reading every region's metrics: viewers
 * and edge latency per market, live streams, and in-service capacity of every Liffey group. Alarms
 * live beside their metrics, in each region's relay stack.
 */
public final class DashboardStack extends LiffeyStack {
  private final Dashboard dashboard;

  public DashboardStack(Construct scope, String id, DashboardStackProps props) {
    super(
        scope,
        id,
        props.stack(),
        "Liffey dashboard: viewers, latency, streams and capacity in every region");
    dashboard =
        Dashboard.Builder.create(this, "Dashboard")
            .dashboardName(props.stackPrefix() + "-edge")
            .build();
    dashboard.addWidgets(
        TextWidget.Builder.create()
            .markdown(
                "# Liffey edge\nViewers and latency per market and region (namespace `Liffey/Edge`), "
                    + "capacity of every group tagged `liffey:managed`. SLO: edge latency p95 under "
                    + props.latencySloMillis()
                    + " ms.")
            .width(24)
            .height(2)
            .build());
    for (Region region : props.regions()) {
      List<IMetric> viewers = new ArrayList<>();
      List<IMetric> latency = new ArrayList<>();
      for (Market market : props.markets()) {
        if (market.servedBy().stream().noneMatch(s -> s.regionId().equals(region.id()))) {
          continue;
        }
        // Every relay publishes its count each 10 s period: their Sum over one period is the
        // market's viewers (over a minute it would count each viewer six times).
        viewers.add(
            edgeMetric("ConcurrentViewers", market.code(), region.id(), "Sum", COUNT_PERIOD, ""));
        viewers.add(
            edgeMetric(
                "ViewersFollowingReconnect",
                market.code(),
                region.id(),
                "Sum",
                COUNT_PERIOD,
                " following reconnect"));
        // Relays publish every viewer's round trip (value arrays): the p95 is CloudWatch's.
        latency.add(
            edgeMetric(
                "EdgeLatencyP95", market.code(), region.id(), "p95", Duration.minutes(1), ""));
      }
      List<IWidget> row = new ArrayList<>();
      row.add(
          GraphWidget.Builder.create()
              .title(region.city() + ": viewers by market")
              .left(viewers)
              .width(6)
              .height(6)
              .build());
      row.add(
          GraphWidget.Builder.create()
              .title(region.city() + ": edge latency p95 (ms)")
              .left(latency)
              .leftAnnotations(
                  List.of(
                      HorizontalAnnotation.builder()
                          .value(props.latencySloMillis())
                          .label("SLO")
                          .build()))
              .width(6)
              .height(6)
              .build());
      row.add(
          GraphWidget.Builder.create()
              .title(region.city() + ": live streams")
              .left(
                  List.of(
                      Metric.Builder.create()
                          .namespace("Liffey/Edge")
                          .metricName("LiveStreams")
                          .dimensionsMap(Map.of("Region", region.id()))
                          .region(region.id())
                          // Each transcoder publishes its own streams: the region's are their Sum
                          // over one period (the Maximum was the busiest transcoder's).
                          .statistic("Sum")
                          .period(COUNT_PERIOD)
                          .build()))
              .width(6)
              .height(6)
              .build());
      row.add(
          GraphWidget.Builder.create()
              .title(region.city() + ": instances in service, per group")
              .left(
                  List.of(
                      MathExpression.Builder.create()
                          .expression(
                              "SEARCH('{AWS/AutoScaling,AutoScalingGroupName} MetricName=\"GroupInServiceInstances\" "
                                  + props.stackPrefix()
                                  + "-"
                                  + region.id()
                                  + "', 'Maximum', 60)")
                          .searchRegion(region.id())
                          .label("")
                          .period(Duration.minutes(1))
                          .build()))
              .width(6)
              .height(6)
              .build());
      dashboard.addWidgets(row.toArray(IWidget[]::new));
    }
  }

  /** The agents' publishing period: the counts' one datapoint per relay. */
  private static final Duration COUNT_PERIOD = Duration.seconds(10);

  private static Metric edgeMetric(
      String name, String market, String region, String statistic, Duration period, String label) {
    return Metric.Builder.create()
        .namespace("Liffey/Edge")
        .metricName(name)
        .dimensionsMap(Map.of("Market", market, "Region", region))
        .region(region)
        .statistic(statistic)
        .period(period)
        .label(market + label)
        .build();
  }

  public Dashboard dashboard() {
    return dashboard;
  }
}
