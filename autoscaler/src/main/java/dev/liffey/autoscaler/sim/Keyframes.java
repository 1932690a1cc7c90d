package dev.liffey.autoscaler.sim;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A curve through points in time, eased between them: the shapes of the generated traces. Before
 * the first point it holds the first value, after the last the last one; two points at one time are
 * a jump (the later holds from then on). Built in time order; immutable once built.
 */
final class Keyframes implements DoubleUnaryOperator {
  /**
   * How a segment goes from its start value {@code a} to its end value {@code b}, {@code x} in [0,
   * 1].
   */
  enum Ease {
    LINEAR,
    /** a + (b - a) x²: slow at first, fastest at the end (a crowd arriving for a kick-off). */
    QUADRATIC,
    /** a (b / a)^x: a constant growth rate (word of mouth); linear where a is 0. */
    EXPONENTIAL,
    /** a + (b - a) x² (3 - 2x): eases in and out. */
    SMOOTH;

    double apply(double a, double b, double x) {
      return switch (this) {
        case LINEAR -> a + (b - a) * x;
        case QUADRATIC -> a + (b - a) * x * x;
        case EXPONENTIAL -> a > 0 && b > 0 ? a * Math.pow(b / a, x) : a + (b - a) * x;
        case SMOOTH -> a + (b - a) * (x * x * (3 - 2 * x));
      };
    }
  }

  private double[] times = new double[8];
  private double[] values = new double[8];
  private Ease[] eases = new Ease[8];
  private int n;

  private Keyframes(double value) {
    add(0, value, Ease.LINEAR);
  }

  /** A curve that starts at {@code value} at time 0. */
  static Keyframes from(double value) {
    return new Keyframes(value);
  }

  /** Eases from the last point to {@code value} at {@code t}. */
  Keyframes to(double t, double value, Ease ease) {
    return add(t, value, ease);
  }

  /** Linearly to {@code value} at {@code t}. */
  Keyframes to(double t, double value) {
    return add(t, value, Ease.LINEAR);
  }

  /** Holds the last value until {@code t}. */
  Keyframes hold(double t) {
    return add(t, values[n - 1], Ease.LINEAR);
  }

  /** Holds the last value until {@code t}, then is {@code value} from {@code t} on. */
  Keyframes jump(double t, double value) {
    return hold(t).add(t, value, Ease.LINEAR);
  }

  /** The value at the last point. */
  double last() {
    return values[n - 1];
  }

  /** The time of the last point. */
  double lastTime() {
    return times[n - 1];
  }

  /**
   * The largest value of any point (the curve never exceeds it: every ease stays between its ends).
   */
  double peak() {
    return Arrays.stream(values, 0, n).max().orElseThrow();
  }

  private Keyframes add(double t, double value, Ease ease) {
    if (n > 0 && t < times[n - 1]) {
      throw new IllegalArgumentException(
          "keyframe at " + t + " s before the last one at " + times[n - 1] + " s");
    }
    if (n == times.length) {
      times = Arrays.copyOf(times, n * 2);
      values = Arrays.copyOf(values, n * 2);
      eases = Arrays.copyOf(eases, n * 2);
    }
    times[n] = t;
    values[n] = value;
    eases[n] = ease;
    n++;
    return this;
  }

  @Override
  public double applyAsDouble(double t) {
    int i = Arrays.binarySearch(times, 0, n, t);
    if (i < 0) {
      i = -i - 2;
    } else {
      while (i + 1 < n && times[i + 1] == t) {
        i++; // a jump: the later point holds from its time on
      }
    }
    if (i < 0) {
      return values[0];
    }
    if (i == n - 1) {
      return values[i];
    }
    double x = (t - times[i]) / (times[i + 1] - times[i]);
    return eases[i + 1].apply(values[i], values[i + 1], x);
  }
}
