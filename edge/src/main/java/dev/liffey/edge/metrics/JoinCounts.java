package dev.liffey.edge.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Distinct clients who tried to join, and who were refused (by the contract's reason), per market
 * within one publishing period. A client is its token's subject, or its address when the token
 * named none. Each period's sets are bounded ({@link #MAX_CLIENTS}); past that, every try counts,
 * which overstates a flood rather than hiding it. Thread-safe.
 */
public final class JoinCounts {
  static final int MAX_CLIENTS = 100_000;

  /** Counts of one period: attempts by market, refusals by market then reason. */
  public record Period(Map<String, Integer> attempts, Map<String, Map<String, Integer>> refused) {}

  private Map<String, Tally> attempts = new HashMap<>();
  private Map<String, Map<String, Tally>> refused = new HashMap<>();

  private static final class Tally {
    final Set<String> clients = new HashSet<>();
    int count;

    void add(String client) {
      if (clients.size() >= MAX_CLIENTS || clients.add(client)) {
        count++;
      }
    }
  }

  public synchronized void attempt(String market, String client) {
    attempts.computeIfAbsent(market, k -> new Tally()).add(client);
  }

  /**
   * @param reason one of the contract's reasons: {@code full}, {@code unverified}, {@code
   *     rate-limited}
   */
  public synchronized void refused(String market, String reason, String client) {
    refused
        .computeIfAbsent(market, k -> new HashMap<>())
        .computeIfAbsent(reason, k -> new Tally())
        .add(client);
  }

  /** This period's counts, and a new period begun. */
  public synchronized Period takePeriod() {
    Map<String, Integer> a = new TreeMap<>();
    attempts.forEach((m, t) -> a.put(m, t.count));
    Map<String, Map<String, Integer>> r = new TreeMap<>();
    refused.forEach(
        (m, byReason) -> {
          Map<String, Integer> counts = new TreeMap<>();
          byReason.forEach((reason, t) -> counts.put(reason, t.count));
          r.put(m, counts);
        });
    attempts = new HashMap<>();
    refused = new HashMap<>();
    return new Period(a, r);
  }
}
