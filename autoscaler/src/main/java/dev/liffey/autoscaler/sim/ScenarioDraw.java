package dev.liffey.autoscaler.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A scenario's parameters drawn from its seed: sizes, timings, noise and markets. The same {@link
 * Random} then draws the trace's noise, so a (family, seed) pair is one trace, always. Not
 * thread-safe.
 */
final class ScenarioDraw {
  /** The markets of {@code edge-regions.yaml}, with each one's home region. */
  static final List<String> MARKETS = List.of("IE", "GB", "DE");

  static final List<String> REGIONS = List.of("eu-west-1", "eu-west-2", "eu-central-1");

  private final Random random;

  /** What every market's drawn noise is multiplied by (1: as drawn). */
  private final double noiseScale;

  ScenarioDraw(Random random, double noiseScale) {
    this.random = random;
    this.noiseScale = noiseScale;
  }

  /**
   * The family's random source: the seed and the family's name together, so families differ at one
   * seed.
   */
  static Random randomFor(String family, long seed) {
    return new Random(seed * 0x9E3779B97F4A7C15L ^ family.hashCode());
  }

  Random random() {
    return random;
  }

  /** Uniform in [lo, hi). */
  double between(double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  /** Uniform whole number in [lo, hi]. */
  int wholeBetween(int lo, int hi) {
    return lo + random.nextInt(hi - lo + 1);
  }

  /** Whole seconds, uniform between {@code lo} and {@code hi} minutes. */
  double minutes(double lo, double hi) {
    return Math.round(between(lo, hi) * 60);
  }

  /** Whole seconds, uniform between {@code lo} and {@code hi} seconds. */
  double seconds(double lo, double hi) {
    return Math.round(between(lo, hi));
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  String market() {
    return pick(MARKETS);
  }

  /** Two different markets, in {@link #MARKETS} order. */
  List<String> twoMarkets() {
    List<String> left = new ArrayList<>(MARKETS);
    left.remove(random.nextInt(left.size()));
    return left;
  }

  /**
   * The relative noise of a market's viewer counts: from a smooth 0.5% to a jittery 3%, times the
   * noise scale (drawn the same whatever the scale, so a scaled trace is the same trace noisier).
   */
  double noise() {
    return between(0.005, 0.03) * noiseScale;
  }

  /**
   * The region that serves a market first (its lowest base latency in {@code edge-regions.yaml}).
   */
  static String homeRegion(String market) {
    return REGIONS.get(MARKETS.indexOf(market));
  }

  /**
   * The region other than its home that serves {@code market} in the bundled configuration: London
   * for Ireland and Germany, Dublin for Britain.
   */
  static String otherRegion(String market) {
    return market.equals("GB") ? REGIONS.get(0) : REGIONS.get(1);
  }
}
