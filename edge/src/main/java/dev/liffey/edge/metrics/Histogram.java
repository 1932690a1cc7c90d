package dev.liffey.edge.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Samples as CloudWatch's value/count arrays: rounded to whole milliseconds, and into wider buckets
 * (each value the middle of its bucket) only when more distinct values remain than one datum takes.
 *
 * @param values distinct values, ascending
 * @param counts how many samples each value stands for
 */
record Histogram(List<Double> values, List<Double> counts) {
  static Histogram of(List<Double> samples, int maxValues) {
    for (double width = 1; ; width *= 2) {
      Map<Double, Double> buckets = new TreeMap<>();
      for (double s : samples) {
        double v = width == 1 ? Math.round(s) : Math.floor(s / width) * width + width / 2;
        buckets.merge(v, 1.0, Double::sum);
      }
      if (buckets.size() <= maxValues) {
        return new Histogram(new ArrayList<>(buckets.keySet()), new ArrayList<>(buckets.values()));
      }
    }
  }
}
