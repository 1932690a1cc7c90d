package dev.liffey.edge.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.liffey.edge.TestKeys;
import dev.liffey.edge.admission.Verdict.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Viewers' tokens verified on the relay: who is admitted, who is refused, with what status and why.
 */
class AdmissionTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
  @TempDir Path dir;
  private KeyPair current;
  private KeyPair next;
  private KeyPair stranger;
  private TokenVerifier verifier;

  private static KeyPair p256() throws Exception {
    return TestKeys.p256();
  }

  private Path pem(String name, KeyPair pair) throws Exception {
    return TestKeys.pem(dir, name, pair);
  }

  @BeforeEach
  void keys() throws Exception {
    current = p256();
    next = p256();
    stranger = p256();
    verifier =
        new TokenVerifier(
            TokenKeys.fromPemFiles(List.of(pem("2026-11.pem", current), pem("2026-12.pem", next))),
            Set.of("IE", "GB"));
  }

  private static JWTClaimsSet.Builder claims(String market, String stream) {
    return new JWTClaimsSet.Builder()
        .claim("mkt", market)
        .claim("stream", stream)
        .subject("viewer-42")
        .expirationTime(Date.from(NOW.plusSeconds(600)));
  }

  private static String sign(KeyPair pair, String kid, JWTClaimsSet claims) throws Exception {
    return TestKeys.sign(pair, kid, claims);
  }

  private Verdict.Refuse refused(String token, String stream) {
    Verdict v = verifier.verify(token, stream, NOW);
    assertThat(v).isInstanceOf(Verdict.Refuse.class);
    return (Verdict.Refuse) v;
  }

  @Test
  void aTokenSignedByAConfiguredKeyForThisStreamAndAServedMarket_isAdmitted_withItsMarket()
      throws Exception {
    Verdict v =
        verifier.verify(sign(current, "2026-11", claims("IE", "final").build()), "final", NOW);

    assertThat(v)
        .isEqualTo(
            new Verdict.Admit("IE", "final", Optional.of("viewer-42"), NOW.plusSeconds(600)));
  }

  @Test
  void keysRotate_aTokenWithoutKidIsCheckedAgainstEveryKey_oneWithAKidAgainstThatKeyOnly()
      throws Exception {
    assertThat(verifier.verify(sign(next, null, claims("GB", "final").build()), "final", NOW))
        .isInstanceOf(Verdict.Admit.class);
    assertThat(refused(sign(next, "2026-11", claims("GB", "final").build()), "final").reason())
        .isEqualTo(Reason.FORGED);
    assertThat(refused(sign(next, "2025-01", claims("GB", "final").build()), "final").reason())
        .isEqualTo(Reason.FORGED);
  }

  /** A token for IE and "final", signed with the current key, after {@code change}. */
  private String ieFinal(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
    return sign(current, null, change.apply(claims("IE", "final")).build());
  }

  @Test
  void forgedExpiredEarlyAndIncompleteTokens_are401() throws Exception {
    assertThat(refused(sign(stranger, null, claims("IE", "final").build()), "final"))
        .isEqualTo(new Verdict.Refuse(401, Reason.FORGED, Optional.of("IE")));
    assertThat(
            refused(ieFinal(c -> c.expirationTime(Date.from(NOW.minusSeconds(31)))), "final")
                .reason())
        .isEqualTo(Reason.EXPIRED);
    assertThat(
            verifier.verify(
                ieFinal(c -> c.expirationTime(Date.from(NOW.minusSeconds(29)))), "final", NOW))
        .as("within the clock leeway")
        .isInstanceOf(Verdict.Admit.class);
    assertThat(
            refused(ieFinal(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(120)))), "final")
                .reason())
        .isEqualTo(Reason.NOT_YET_VALID);
    assertThat(refused(ieFinal(c -> c.claim("stream", null)), "final").reason())
        .isEqualTo(Reason.MISSING_CLAIM);
    assertThat(refused("not.a.jwt", "final").reason()).isEqualTo(Reason.MALFORMED);
    assertThat(refused("", "final"))
        .isEqualTo(new Verdict.Refuse(401, Reason.MALFORMED, Optional.empty()));
  }

  @Test
  void aValidTokenForAnotherStreamOrAMarketThisRelayDoesNotServe_is403() throws Exception {
    assertThat(refused(sign(current, null, claims("IE", "semi-final").build()), "final"))
        .isEqualTo(new Verdict.Refuse(403, Reason.WRONG_STREAM, Optional.of("IE")));
    assertThat(refused(sign(current, null, claims("DE", "final").build()), "final"))
        .isEqualTo(new Verdict.Refuse(403, Reason.UNKNOWN_MARKET, Optional.of("DE")));
  }

  @Test
  void onlyEs256IsAccepted_noneAndAnHmacOverThePublicKeyAreForged() throws Exception {
    String none = new PlainJWT(new PlainHeader(), claims("IE", "final").build()).serialize();
    SignedJWT hmac =
        new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("IE", "final").build());
    byte[] secret = java.util.Arrays.copyOf(current.getPublic().getEncoded(), 64);
    hmac.sign(new MACSigner(secret));

    assertThat(refused(none, "final").reason()).isIn(Reason.MALFORMED, Reason.FORGED);
    assertThat(refused(hmac.serialize(), "final").reason()).isEqualTo(Reason.FORGED);
  }

  @Test
  void aKeyFileThatIsNotAP256PublicKey_isNamedWithWhatIsWrong() throws Exception {
    Path text = dir.resolve("notes.pem");
    Files.writeString(text, "hello");
    assertThatThrownBy(() -> TokenKeys.fromPemFiles(List.of(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(text + ": not a PEM public key");
    assertThatThrownBy(() -> TokenKeys.fromPemFiles(List.of()))
        .hasMessage("no token key: pass at least one PEM public key file");
  }

  @Test
  void addressesAndTokensOverTheirRate_are429_andEveryRefusalIsCountedByMarketAndReason()
      throws Exception {
    Admission admission =
        new Admission(verifier, new RateLimits(3, 1.0, 1000), new RateLimits(2, 0.1, 1000));
    String token = sign(current, null, claims("IE", "final").build());

    assertThat(admission.admit("198.51.100.7", token, "final", NOW))
        .isInstanceOf(Verdict.Admit.class);
    assertThat(admission.admit("198.51.100.8", token, "final", NOW))
        .isInstanceOf(Verdict.Admit.class);
    assertThat(admission.admit("198.51.100.9", token, "final", NOW))
        .as("one token shared by a third address within the same second")
        .isEqualTo(new Verdict.Refuse(429, Reason.RATE_LIMITED, Optional.of("IE")));
    for (int i = 0; i < 3; i++) {
      admission.admit("203.0.113.5", "garbage", "final", NOW);
    }
    assertThat(admission.admit("203.0.113.5", "garbage", "final", NOW))
        .isEqualTo(new Verdict.Refuse(429, Reason.RATE_LIMITED, Optional.empty()));
    assertThat(admission.admit("203.0.113.5", "garbage", "final", NOW.plusSeconds(1)))
        .as("a second later the address has one join again")
        .isEqualTo(new Verdict.Refuse(401, Reason.MALFORMED, Optional.empty()));

    assertThat(admission.refusals())
        .containsEntry("IE/rate-limited", 1L)
        .containsEntry("unknown/malformed", 4L)
        .containsEntry("unknown/rate-limited", 1L);
  }

  @Test
  void aFloodFromManyAddressesIsRememberedInBoundedMemory() {
    RateLimits limits = new RateLimits(1, 1.0, 100);
    for (int i = 0; i < 10_000; i++) {
      limits.tryAcquire("10.0." + i / 256 + "." + i % 256, NOW);
    }
    assertThat(limits.keys()).isEqualTo(100);
  }
}
