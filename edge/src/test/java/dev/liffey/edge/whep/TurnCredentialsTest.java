package dev.liffey.edge.whep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TURN credentials as coturn's use-auth-secret checks them, handed out as WHEP Link headers. */
class TurnCredentialsTest {
  private final TurnCredentials turn =
      new TurnCredentials(
          List.of(
              "turn:eu-west-1.edge.live.liffey.example:3478?transport=udp",
              "turn:eu-west-1.edge.live.liffey.example:443?transport=tcp"),
          "coturn-shared-secret",
          Duration.ofHours(12));

  @Test
  void eachTurnServerIsALinkHeader_withAnExpiringUsernameAndItsHmacAsThePassword() {
    // The password is base64(HMAC-SHA1(secret, username)), computed independently with Python's
    // hmac module for this username.
    String viewer = "10.0.1.23_8443_0b7e7a52-3f0e-4c38-9d55-5b0c4f3c2f11";

    List<String> links = turn.linkHeaders(viewer, Instant.parse("2026-12-01T00:00:00Z"));

    assertThat(links)
        .containsExactly(
            "<turn:eu-west-1.edge.live.liffey.example:3478?transport=udp>; rel=\"ice-server\";"
                + " username=\"1796126400:"
                + viewer
                + "\"; credential=\"LUnfF03Bs9FvDHMyJcKv3U2AnqE=\"; credential-type=\"password\"",
            "<turn:eu-west-1.edge.live.liffey.example:443?transport=tcp>; rel=\"ice-server\";"
                + " username=\"1796126400:"
                + viewer
                + "\"; credential=\"LUnfF03Bs9FvDHMyJcKv3U2AnqE=\"; credential-type=\"password\"");
  }

  @Test
  void aUrlThatIsNoTurnUriIsRefusedNamingTheFlag() {
    assertThatThrownBy(
            () -> new TurnCredentials(List.of("https://turn.example"), "s", Duration.ofHours(1)))
        .hasMessageStartingWith("--turn-url https://turn.example: a TURN URI");
  }
}
