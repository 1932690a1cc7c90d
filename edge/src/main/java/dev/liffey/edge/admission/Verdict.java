package dev.liffey.edge.admission;

import java.time.Instant;
import java.util.Optional;

/** What the relay answers a viewer's token: admit, or refuse with the HTTP status and why. */
public sealed interface Verdict {
  /**
   * The viewer may watch {@code stream}.
   *
   * @param market the market the token was issued for ({@code mkt}): what the viewer is counted in
   * @param subject the token's {@code sub}, when it has one
   */
  record Admit(String market, String stream, Optional<String> subject, Instant expires)
      implements Verdict {}

  /**
   * Refused.
   *
   * @param status 401 (no valid token), 403 (a valid token for something else), 429 (too many)
   * @param reason one word a dashboard can count by ({@link Reason})
   * @param market the token's market when it could be read, for counting refusals per market
   */
  record Refuse(int status, Reason reason, Optional<String> market) implements Verdict {}

  /** Why a viewer was refused. */
  enum Reason {
    /** No bearer token, or not a JWT. */
    MALFORMED(401),
    /** Not signed by any configured key, or signed with another algorithm than ES256. */
    FORGED(401),
    /** Its {@code exp} has passed. */
    EXPIRED(401),
    /** Its {@code nbf} has not come. */
    NOT_YET_VALID(401),
    /** Without {@code mkt}, {@code stream} or {@code exp}. */
    MISSING_CLAIM(401),
    /** For another stream than the one asked for. */
    WRONG_STREAM(403),
    /** For a market this relay does not serve. */
    UNKNOWN_MARKET(403),
    /** Over the per-address or per-token rate. */
    RATE_LIMITED(429);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }

    /** {@code wrong-stream}: as the metric's dimension and the log say it. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }
}
