package dev.liffey.edge.admission;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.liffey.edge.admission.Verdict.Reason;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a viewer's token on the relay, with no call to any central service: a JWT (RFC 7519)
 * signed ES256 by one of the {@link TokenKeys}, with {@code mkt} (the market), {@code stream},
 * {@code exp} and, when present, {@code nbf} and {@code sub}. A token for another stream, or for a
 * market this relay does not serve, is valid but not for this: 403. Anything else wrong is 401.
 * Only ES256 is accepted whatever the header says, so a token "signed" with {@code none} or with an
 * HMAC over the public key is forged. Clocks may differ by {@link #LEEWAY}. Thread-safe.
 */
public final class TokenVerifier {
  /** How far the issuer's clock and the relay's may differ. */
  public static final Duration LEEWAY = Duration.ofSeconds(30);

  private final TokenKeys keys;
  private final Set<String> markets;

  /**
   * @param markets the markets this relay serves ({@code mkt} values it admits)
   */
  public TokenVerifier(TokenKeys keys, Set<String> markets) {
    this.keys = keys;
    this.markets = Set.copyOf(markets);
  }

  /** The verdict on {@code token} (the bearer value, without "Bearer ") for {@code stream}. */
  public Verdict verify(String token, String stream, Instant now) {
    if (token == null || token.isBlank()) {
      return refuse(Reason.MALFORMED, Optional.empty());
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token.strip());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return refuse(Reason.MALFORMED, Optional.empty());
    }
    Optional<String> market = text(claims, "mkt");
    if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !signedByOneOf(jwt)) {
      return refuse(Reason.FORGED, market);
    }
    Optional<String> forStream = text(claims, "stream");
    Date exp = claims.getExpirationTime();
    if (market.isEmpty() || forStream.isEmpty() || exp == null) {
      return refuse(Reason.MISSING_CLAIM, market);
    }
    if (!exp.toInstant().plus(LEEWAY).isAfter(now)) {
      return refuse(Reason.EXPIRED, market);
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().minus(LEEWAY).isAfter(now)) {
      return refuse(Reason.NOT_YET_VALID, market);
    }
    // A token for a stream admits each of its renditions (match-1@480).
    if (!forStream.get().equals(stream.split("@", 2)[0])) {
      return refuse(Reason.WRONG_STREAM, market);
    }
    if (!markets.contains(market.get())) {
      return refuse(Reason.UNKNOWN_MARKET, market);
    }
    return new Verdict.Admit(
        market.get(), stream, Optional.ofNullable(claims.getSubject()), exp.toInstant());
  }

  /** Signed by the key the header names, or, when it names none, by any configured key. */
  private boolean signedByOneOf(SignedJWT jwt) {
    String kid = jwt.getHeader().getKeyID();
    List<ECPublicKey> candidates = new ArrayList<>();
    if (kid != null) {
      ECPublicKey key = keys.byId(kid);
      if (key == null) {
        return false;
      }
      candidates.add(key);
    } else {
      keys.all().forEach(candidates::add);
    }
    for (ECPublicKey key : candidates) {
      try {
        if (jwt.verify(new ECDSAVerifier(key))) {
          return true;
        }
      } catch (JOSEException e) {
        // not this key's kind of signature: try the next
      }
    }
    return false;
  }

  private static Optional<String> text(JWTClaimsSet claims, String name) {
    Object v = claims.getClaim(name);
    return v instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }

  private static Verdict refuse(Reason reason, Optional<String> market) {
    return new Verdict.Refuse(reason.status(), reason, market);
  }
}
