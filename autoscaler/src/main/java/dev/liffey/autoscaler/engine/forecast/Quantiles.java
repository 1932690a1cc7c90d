package dev.liffey.autoscaler.engine.forecast;

/**
 * Quantile functions: the standard normal's (Acklam's rational approximation, |error| < 1.2e-9) and
 * the Poisson distribution's.
 */
public final class Quantiles {
  private static final double[] A = {
    -3.969683028665376e+01,
    2.209460984245205e+02,
    -2.759285104469687e+02,
    1.383577518672690e+02,
    -3.066479806614716e+01,
    2.506628277459239e+00
  };
  private static final double[] B = {
    -5.447609879822406e+01,
    1.615858368580409e+02,
    -1.556989798598866e+02,
    6.680131188771972e+01,
    -1.328068155288572e+01
  };
  private static final double[] C = {
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e+00,
    -2.549732539343734e+00,
    4.374664141464968e+00,
    2.938163982698783e+00
  };
  private static final double[] D = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
  };

  private Quantiles() {}

  /** z such that P(Z <= z) = p, for 0 < p < 1. */
  public static double normal(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1), got " + p);
    }
    double q;
    if (p < 0.02425) {
      q = Math.sqrt(-2 * Math.log(p));
      return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
          / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    }
    if (p > 1 - 0.02425) {
      return -normal(1 - p);
    }
    q = p - 0.5;
    double r = q * q;
    return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5])
        * q
        / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }

  /** The least k with P(N <= k) >= p for N ~ Poisson(mean), for 0 < p < 1. */
  public static int poisson(double mean, double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1), got " + p);
    }
    if (!(mean > 0)) {
      return 0;
    }
    if (mean > 500) {
      // The normal approximation, with a continuity correction, is within one of the exact quantile
      // here.
      return (int) Math.ceil(mean + normal(p) * Math.sqrt(mean) - 0.5);
    }
    double term = Math.exp(-mean);
    double cdf = term;
    int k = 0;
    while (cdf < p) {
      k++;
      term *= mean / k;
      cdf += term;
    }
    return k;
  }
}
