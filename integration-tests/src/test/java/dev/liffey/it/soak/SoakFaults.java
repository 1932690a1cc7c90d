package dev.liffey.it.soak;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The faults the soak injects into one replica's AWS traffic, drawn at random per request (seeded),
 * and the switches the soak flips: Route 53 down, everything healthy. Counts what it injected by
 * kind. Thread-safe: the proxy calls it from its threads.
 */
final class SoakFaults implements BiFunction<Integer, String, Integer> {
  static final double THROTTLE = 0.02;
  static final double UNAVAILABLE = 0.02;
  static final double TIMEOUT = 0.01;
  static final double SLOWER_THAN_TICK = 0.003;

  private final Random random;
  private final long attemptTimeoutMillis;
  private final long tickDeadlineMillis;
  private final Map<String, AtomicLong> injected;
  volatile boolean route53Down;
  volatile boolean healthy;

  /**
   * @param attemptTimeoutMillis a stall longer than this is a timeout to the SDK
   * @param tickDeadlineMillis a stall longer than this outlives the whole tick
   */
  SoakFaults(
      long seed,
      long attemptTimeoutMillis,
      long tickDeadlineMillis,
      Map<String, AtomicLong> injected) {
    this.random = new Random(seed);
    this.attemptTimeoutMillis = attemptTimeoutMillis;
    this.tickDeadlineMillis = tickDeadlineMillis;
    this.injected = injected;
  }

  /** An injected-fault counter per kind, shared by every replica's faults. */
  static Map<String, AtomicLong> counters() {
    Map<String, AtomicLong> c = new ConcurrentHashMap<>();
    for (String kind :
        new String[] {
          "throttling (429)",
          "unavailable (503)",
          "timeout (stall past an attempt)",
          "slower than the tick deadline",
          "Route 53 down (503)"
        }) {
      c.put(kind, new AtomicLong());
    }
    return c;
  }

  static Map<String, Long> snapshot(Map<String, AtomicLong> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Override
  public Integer apply(Integer request, String authorization) {
    if (healthy) {
      return 0;
    }
    if (route53Down && authorization.contains("/route53/")) {
      return count("Route 53 down (503)", 503);
    }
    double r;
    synchronized (random) {
      r = random.nextDouble();
    }
    if (r < THROTTLE) {
      return count("throttling (429)", 429);
    }
    r -= THROTTLE;
    if (r < UNAVAILABLE) {
      return count("unavailable (503)", 503);
    }
    r -= UNAVAILABLE;
    if (r < TIMEOUT) {
      return count("timeout (stall past an attempt)", -(int) (attemptTimeoutMillis * 3 / 2));
    }
    r -= TIMEOUT;
    if (r < SLOWER_THAN_TICK) {
      return count("slower than the tick deadline", -(int) (tickDeadlineMillis * 3 / 2));
    }
    return 0;
  }

  private int count(String kind, int answer) {
    injected.get(kind).incrementAndGet();
    return answer;
  }
}
