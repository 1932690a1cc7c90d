package dev.liffey.edge.admission;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public keys viewers' tokens are checked against, from PEM files ({@code -----BEGIN PUBLIC
 * KEY-----}, P-256). Each key's id is its file's name without {@code .pem}: a token whose header
 * names a {@code kid} is checked against that key only, one without against every key, so keys
 * rotate by adding the new file before tokens are signed with it and removing the old one after its
 * last token has expired.
 */
public final class TokenKeys {
  private final Map<String, ECPublicKey> byId;

  private TokenKeys(Map<String, ECPublicKey> byId) {
    this.byId = Map.copyOf(byId);
  }

  /**
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static TokenKeys fromPemFiles(Iterable<Path> files) {
    Map<String, ECPublicKey> out = new LinkedHashMap<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String id = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
      if (out.containsKey(id)) {
        throw new IllegalArgumentException(
            file + ": a second key with id '" + id + "': rename one file");
      }
      out.put(id, read(file));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no token key: pass at least one PEM public key file");
    }
    return new TokenKeys(out);
  }

  private static ECPublicKey read(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot read it (" + e.getClass().getSimpleName() + ")", e);
    }
    int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
    int end = pem.indexOf("-----END PUBLIC KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          file
              + ": not a PEM public key (expected -----BEGIN PUBLIC KEY-----; the private key stays"
              + " with the token issuer)");
    }
    String body = pem.substring(begin + 26, end).replaceAll("\\s", "");
    try {
      var key =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
      if (!(key instanceof ECPublicKey ec)
          || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException(file + ": not a P-256 key (ES256 tokens need one)");
      }
      return ec;
    } catch (InvalidKeySpecException | IllegalArgumentException e) {
      if (e instanceof IllegalArgumentException iae
          && iae.getMessage().startsWith(file.toString())) {
        throw iae;
      }
      throw new IllegalArgumentException(
          file
              + ": not an EC public key between its PEM lines (export the issuer's with: openssl ec"
              + " -in issuer.key -pubout)",
          e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no EC keys", e);
    }
  }

  /** The key with this id, if any. */
  ECPublicKey byId(String id) {
    return byId.get(id);
  }

  Iterable<ECPublicKey> all() {
    return byId.values();
  }
}
