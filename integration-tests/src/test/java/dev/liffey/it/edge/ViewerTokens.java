package dev.liffey.it.edge;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The viewers' token issuer, as a platform's login service would be: an ES256 key pair whose public
 * half is the PEM file the relays are given (named after the key id).
 */
final class ViewerTokens {
  private final ECKey key;

  ViewerTokens(String keyId) {
    try {
      key = new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the public key as {@code <kid>.pem} in {@code dir}, for {@code --token-public-key}. */
  Path publicKeyPem(Path dir) throws IOException {
    try {
      String b64 =
          Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPublicKey().getEncoded());
      Path file = dir.resolve(key.getKeyID() + ".pem");
      Files.writeString(
          file, "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n");
      return file;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String token(String market, String stream, String subject, Instant expires) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
              new JWTClaimsSet.Builder()
                  .claim("mkt", market)
                  .claim("stream", stream)
                  .subject(subject)
                  .expirationTime(Date.from(expires))
                  .build());
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String token(String market, String stream, String subject) {
    return token(market, stream, subject, Instant.now().plus(Duration.ofHours(1)));
  }
}
