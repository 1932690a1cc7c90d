package dev.liffey.edge.admission;

import dev.liffey.edge.admission.Verdict.Reason;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether a viewer may join a stream on this relay: its address within its rate, then its token
 * verified here ({@link TokenVerifier}), then the token within its own rate. Every refusal is
 * counted by market ({@code unknown} when the token could not be read) and reason, for the {@code
 * RejectedJoins} metric. Thread-safe.
 */
public final class Admission {
  /** The market a refusal is counted in when its token named none that could be read. */
  public static final String UNKNOWN_MARKET = "unknown";

  private final TokenVerifier tokens;
  private final RateLimits perAddress;
  private final RateLimits perToken;
  private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

  public Admission(TokenVerifier tokens, RateLimits perAddress, RateLimits perToken) {
    this.tokens = tokens;
    this.perAddress = perAddress;
    this.perToken = perToken;
  }

  /**
   * @param address the viewer's address as the relay sees it
   * @param token the bearer token, without "Bearer "
   */
  public Verdict admit(String address, String token, String stream, Instant now) {
    if (!perAddress.tryAcquire(address, now)) {
      return count(new Verdict.Refuse(429, Reason.RATE_LIMITED, Optional.empty()));
    }
    Verdict v = tokens.verify(token, stream, now);
    if (v instanceof Verdict.Admit a && !perToken.tryAcquire(token, now)) {
      return count(new Verdict.Refuse(429, Reason.RATE_LIMITED, Optional.of(a.market())));
    }
    return v instanceof Verdict.Refuse r ? count(r) : v;
  }

  private Verdict count(Verdict.Refuse r) {
    refused
        .computeIfAbsent(
            r.market().orElse(UNKNOWN_MARKET) + "/" + r.reason().label(), k -> new LongAdder())
        .increment();
    return r;
  }

  /** Refusals so far, by {@code market/reason} ({@code IE/expired}), sorted. */
  public Map<String, Long> refusals() {
    Map<String, Long> out = new TreeMap<>();
    refused.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
