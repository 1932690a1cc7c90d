package dev.liffey.edge.whep;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TURN servers for a viewer whose network blocks direct UDP, with credentials the relay mints
 * itself: the TURN REST API form coturn's {@code use-auth-secret} checks (username {@code
 * <expiry>:<viewer>}, password the base64 HMAC-SHA1 of the username under the region's shared
 * secret), so no call is made to anything. Handed to the viewer as WHEP's {@code Link} headers with
 * {@code rel="ice-server"}. Immutable; thread-safe.
 *
 * @param urls TURN URIs ({@code turn:eu-west-1.edge.example:3478?transport=udp})
 * @param secret the region's shared secret, as coturn's {@code static-auth-secret}
 * @param ttl how long credentials stay good: long enough for a session's allocation refreshes
 */
public record TurnCredentials(List<String> urls, String secret, Duration ttl) {
  public TurnCredentials {
    urls = List.copyOf(urls);
    for (String u : urls) {
      if (!(u.startsWith("turn:") || u.startsWith("turns:"))
          || u.contains(">")
          || u.contains("\"")) {
        throw new IllegalArgumentException(
            "--turn-url "
                + u
                + ": a TURN URI, like turn:eu-west-1.edge.example:3478?transport=udp");
      }
    }
  }

  /** One {@code Link} header value a TURN URI, with credentials for {@code viewer} from now. */
  public List<String> linkHeaders(String viewer, Instant now) {
    String username = now.plus(ttl).getEpochSecond() + ":" + viewer;
    String password = password(username);
    return urls.stream()
        .map(
            u ->
                "<"
                    + u
                    + ">; rel=\"ice-server\"; username=\""
                    + username
                    + "\"; credential=\""
                    + password
                    + "\"; credential-type=\"password\"")
        .toList();
  }

  String password(String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA1", e);
    }
  }
}
