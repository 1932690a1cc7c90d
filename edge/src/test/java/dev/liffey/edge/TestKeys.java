package dev.liffey.edge;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** A token issuer's keys for the tests: real P-256 pairs, PEM public keys, ES256 tokens. */
public final class TestKeys {
  private TestKeys() {}

  public static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** The public half as the relay is given it: a PEM file named {@code name} in {@code dir}. */
  public static Path pem(Path dir, String name, KeyPair pair) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    return file;
  }

  /** An Irish viewer's token for the stream {@code match}, good for ten minutes, under kid k1. */
  public static String irishViewerOfMatch(KeyPair pair, String subject) throws Exception {
    return sign(
        pair,
        "k1",
        new JWTClaimsSet.Builder()
            .claim("mkt", "IE")
            .claim("stream", "match")
            .subject(subject)
            .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(600)))
            .build());
  }

  /** An ES256 token, naming {@code kid} when it is not null. */
  public static String sign(KeyPair pair, String kid, JWTClaimsSet claims) throws Exception {
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256);
    if (kid != null) {
      header.keyID(kid);
    }
    SignedJWT jwt = new SignedJWT(header.build(), claims);
    jwt.sign(new ECDSASigner((ECPrivateKey) pair.getPrivate()));
    return jwt.serialize();
  }
}
