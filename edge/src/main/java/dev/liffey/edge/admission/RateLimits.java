package dev.liffey.edge.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets by key (a viewer's address, a token's id): {@code burst} joins at once, then {@code
 * perSecond}. At most {@code maxKeys} keys are remembered, the least recently seen forgotten first,
 * so a flood from a million addresses costs bounded memory (a forgotten key starts full again).
 * Thread-safe.
 */
public final class RateLimits {
  private final double burst;
  private final double perSecond;
  private final Map<String, Bucket> buckets;

  private static final class Bucket {
    double tokens;
    Instant at;

    Bucket(double tokens, Instant at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  public RateLimits(int burst, double perSecond, int maxKeys) {
    if (burst < 1 || !(perSecond > 0) || maxKeys < 1) {
      throw new IllegalArgumentException(
          "a rate limit needs burst >= 1, a rate above 0 and room for a key: got burst "
              + burst
              + ", "
              + perSecond
              + "/s, "
              + maxKeys
              + " keys");
    }
    this.burst = burst;
    this.perSecond = perSecond;
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /** True when {@code key} may join now (and counts the join); false when it is over its rate. */
  public synchronized boolean tryAcquire(String key, Instant now) {
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket(burst, now);
      buckets.put(key, b);
    } else {
      double elapsed = Math.max(0, Duration.between(b.at, now).toNanos() / 1e9);
      b.tokens = Math.min(burst, b.tokens + elapsed * perSecond);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  synchronized int keys() {
    return buckets.size();
  }
}
