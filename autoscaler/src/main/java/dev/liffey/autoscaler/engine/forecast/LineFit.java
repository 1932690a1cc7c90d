package dev.liffey.autoscaler.engine.forecast;

/**
 * An ordinary least-squares line through points added one at a time: the forecaster's trend and
 * growth, and the router's p95 trend, fit the same way.
 */
public final class LineFit {
  private int n;
  private double sx;
  private double sy;
  private double sxx;
  private double sxy;

  public void add(double x, double y) {
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }

  public int count() {
    return n;
  }

  /** The slope; 0 with fewer than three points or all of them at one x. */
  public double slope() {
    if (n < 3) {
      return 0;
    }
    double denominator = n * sxx - sx * sx;
    return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
  }

  /** Where the line crosses x = 0. */
  public double intercept() {
    return (sy - slope() * sx) / n;
  }

  /** The points' sum of squared distances from their mean x. */
  public double xSpread() {
    return sxx - sx * sx / n;
  }
}
