package dev.liffey.edge.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * Janus's admin API (127.0.0.1 only, with its secret): whether the instance accepts new sessions,
 * which is how a draining relay stops taking viewers while its viewers keep watching.
 */
public final class JanusAdmin {
  private final URI base;
  private final String secret;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();

  public JanusAdmin(URI base, String secret) {
    this.base = base;
    this.secret = secret;
  }

  /** Idempotent. While false, Janus refuses {@code create} with 472 and keeps every session. */
  public void acceptNewSessions(boolean accept) {
    ObjectNode m =
        json.createObjectNode()
            .put("janus", "accept_new_sessions")
            .put("accept", accept)
            .put("transaction", UUID.randomUUID().toString())
            .put("admin_secret", secret);
    call(m);
  }

  /** Janus's version string, to check at start-up that the admin API and secret are right. */
  public String serverInfo() {
    ObjectNode m =
        json.createObjectNode()
            .put("janus", "info")
            .put("transaction", UUID.randomUUID().toString())
            .put("admin_secret", secret);
    return call(m).path("version_string").asText("?");
  }

  private JsonNode call(ObjectNode body) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(base)
                  .timeout(JanusApi.CALL_TIMEOUT)
                  .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode node = json.readTree(r.body());
      if (node == null || "error".equals(node.path("janus").asText())) {
        JsonNode e = node == null ? json.createObjectNode() : node.path("error");
        throw new JanusError(
            e.path("code").asInt(),
            "Janus admin API at " + base + ": " + e.path("reason").asText());
      }
      return node;
    } catch (IOException e) {
      throw new JanusError(
          "Janus's admin API did not answer at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JanusError("interrupted calling Janus's admin API at " + base, e);
    }
  }
}
