package dev.liffey.edge.whep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.edge.TestKeys;
import dev.liffey.edge.admission.Admission;
import dev.liffey.edge.admission.RateLimits;
import dev.liffey.edge.admission.TokenKeys;
import dev.liffey.edge.admission.TokenVerifier;
import dev.liffey.edge.janus.JanusApi;
import dev.liffey.edge.metrics.JoinCounts;
import dev.liffey.edge.viewers.Mountpoint;
import dev.liffey.edge.viewers.StreamDirectory;
import dev.liffey.edge.viewers.ViewerSessions;
import dev.liffey.edge.viewers.Viewers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's WHEP face over real HTTP, for everything answered before Janus is asked (Janus here
 * is a port nobody listens on; the integration test has the real one).
 */
class WhepServerTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final JoinCounts joins = new JoinCounts();
  private WhepServer server;
  private KeyPair keys;

  /** Where joins are passed: nowhere until a test says. */
  private volatile Optional<JoinRouter.Peer> passTo = Optional.empty();

  private final List<JoinRouter.Peer> unreachable =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    keys = TestKeys.p256();
    Path key = TestKeys.pem(dir, "k1.pem", keys);
    Admission admission =
        new Admission(
            new TokenVerifier(TokenKeys.fromPemFiles(List.of(key)), Set.of("IE")),
            new RateLimits(2, 0.01, 100),
            new RateLimits(5, 0.1, 100));
    ViewerSessions sessions =
        new ViewerSessions(
            admission,
            new JanusApi(URI.create("http://127.0.0.1:9/janus")),
            StreamDirectory.of(Map.of("match", new Mountpoint(1, Optional.empty()))),
            OptionalInt.empty(),
            draining::get,
            new Viewers(),
            joins,
            Clock.systemUTC(),
            Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7080)));
    server =
        new WhepServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            4,
            sessions,
            () -> new WhepServer.Health(draining.get(), "{}"),
            Optional.empty(),
            new JoinRouter() {
              @Override
              public Optional<Peer> passTo() {
                return passTo;
              }

              @Override
              public void answered(Peer peer, int status) {
                if (status == 0 || status >= 500) {
                  unreachable.add(peer);
                }
              }
            });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aViewerWithoutAValidTokenIsRefused401_andCountedAsUnverified() throws Exception {
    HttpResponse<String> none = send("POST", "/whep/match", "");
    HttpResponse<String> junk =
        send("POST", "/whep/match", "", "Authorization", "Bearer not.a.jwt");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(junk.statusCode()).isEqualTo(401);
    assertThat(joins.takePeriod().refused()).containsEntry("unknown", Map.of("unverified", 1));
  }

  @Test
  void anAddressJoiningTooOftenGets429_withRetryAfter() throws Exception {
    send("POST", "/whep/match", "", "Authorization", "Bearer x");
    send("POST", "/whep/match", "", "Authorization", "Bearer x");

    HttpResponse<String> third = send("POST", "/whep/match", "", "Authorization", "Bearer x");

    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void aDrainingRelayAnswers503WithRetryAfter_andItsHealthSaysSo() throws Exception {
    draining.set(true);

    HttpResponse<String> join = send("POST", "/whep/match", "", "Authorization", "Bearer x");
    HttpResponse<String> health = send("GET", "/health", "");

    assertThat(join.statusCode()).isEqualTo(503);
    assertThat(join.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(health.statusCode()).isEqualTo(503);
  }

  @Test
  void anUnknownStream404s_andAViewersOwnOfferIsRefusedWithHowToJoin() throws Exception {
    assertThat(send("POST", "/whep/other", "").statusCode()).isEqualTo(404);

    HttpResponse<String> offer =
        send("POST", "/whep/match", "v=0\r\n", "Content-Type", "application/sdp");

    assertThat(offer.statusCode()).isEqualTo(406);
    assertThat(offer.body()).contains("POST an empty body, then PATCH your SDP answer");
  }

  @Test
  void preflightsAnswerAsWhepAndCorsExpect_andAnswersMustBeSdp() throws Exception {
    HttpResponse<String> pre = send("OPTIONS", "/whep/match", "");
    HttpResponse<String> notSdp =
        send("PATCH", "/whep/match/some-viewer", "{}", "Content-Type", "application/json");
    HttpResponse<String> gone =
        send("PATCH", "/whep/match/some-viewer", "v=0\r\n", "Content-Type", "application/sdp");

    assertThat(pre.statusCode()).isEqualTo(204);
    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(pre.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
    assertThat(pre.headers().firstValue("Accept-Post")).hasValue("application/sdp");
    assertThat(notSdp.statusCode()).isEqualTo(415);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/whep/match/some-viewer", "").statusCode()).isEqualTo(404);
    assertThat(send("PUT", "/whep/match", "").statusCode()).isEqualTo(405);
  }

  @Test
  void anAdmittedViewerGets502_whenTheSfuIsDown_andIsCountedAsAnAttemptNotARefusal()
      throws Exception {
    String token = token("viewer-1");
    HttpResponse<String> r = send("POST", "/whep/match", "", "Authorization", "Bearer " + token);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).startsWith("the relay's SFU failed");
    JoinCounts.Period p = joins.takePeriod();
    assertThat(p.attempts()).containsEntry("IE", 1);
    assertThat(p.refused()).isEmpty();
  }

  @Test
  void aPatchOrDeleteForAViewerAnotherRelayHolds_isPassedToThatRelay_once() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer owner = peer(204, seen);
    try {
      String id =
          "127.0.0.1_" + owner.getAddress().getPort() + "_0b7e7a52-3f0e-4c38-9d55-5b0c4f3c2f11";

      HttpResponse<String> patch =
          send("PATCH", "/whep/match/" + id, "v=0\r\n", "Content-Type", "application/sdp");
      HttpResponse<String> again =
          send("PATCH", "/whep/match/" + id, "v=0\r\n", WhepServer.PASSED, "1");
      HttpResponse<String> outside =
          send("DELETE", "/whep/match/203.0.113.7_80_0b7e7a52-3f0e-4c38-9d55-5b0c4f3c2f11", "");

      assertThat(patch.statusCode()).isEqualTo(204);
      assertThat(seen)
          .containsExactly(
              "PATCH /whep/match/" + id + " application/sdp passed=1 viewer=127.0.0.1 v=0\r\n");
      assertThat(again.statusCode()).isEqualTo(404);
      assertThat(outside.statusCode()).as("never passed to a public address").isEqualTo(404);
      assertThat(seen).hasSize(1);
    } finally {
      owner.stop(0);
    }
  }

  private String token(String subject) throws Exception {
    return TestKeys.irishViewerOfMatch(keys, subject);
  }

  /**
   * Another relay on loopback answering every request with {@code status} (and WHEP's headers on a
   * 201), noting each as method, path, content type, the headers a passing relay adds, the
   * authorization's scheme and the body.
   */
  private com.sun.net.httpserver.HttpServer peer(int status, List<String> seen) throws Exception {
    com.sun.net.httpserver.HttpServer peer =
        com.sun.net.httpserver.HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    peer.createContext(
        "/",
        x -> {
          String auth = x.getRequestHeaders().getFirst("Authorization");
          seen.add(
              x.getRequestMethod()
                  + " "
                  + x.getRequestURI()
                  + " "
                  + x.getRequestHeaders().getFirst("Content-Type")
                  + " passed="
                  + x.getRequestHeaders().getFirst(WhepServer.PASSED)
                  + " viewer="
                  + x.getRequestHeaders().getFirst(WhepServer.VIEWER_ADDRESS)
                  + (auth == null ? "" : " " + auth.substring(0, 7))
                  + " "
                  + new String(x.getRequestBody().readAllBytes()));
          if (status == 201) {
            x.getResponseHeaders().set("Content-Type", WhepServer.SDP);
            x.getResponseHeaders().set("Location", "/whep/match/peer-viewer");
            x.getResponseHeaders().add("Link", "<turn:a>; rel=\"ice-server\"");
            x.getResponseHeaders().add("Link", "<turn:b>; rel=\"ice-server\"");
          }
          byte[] body = (status == 201 ? "v=0\r\n" : status == 204 ? "" : "no\n").getBytes();
          x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            x.getResponseBody().write(body);
          }
          x.close();
        });
    peer.start();
    return peer;
  }

  @Test
  void aJoinPackedOntoAnotherRelay_getsThatRelaysOffer_andIsCountedThereNotHere() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer peer = peer(201, seen);
    try {
      passTo = Optional.of(new JoinRouter.Peer("i-a", peer.getAddress()));

      HttpResponse<String> r =
          send("POST", "/whep/match", "", "Authorization", "Bearer " + token("v1"));

      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("v=0\r\n");
      assertThat(r.headers().firstValue("Location")).hasValue("/whep/match/peer-viewer");
      assertThat(r.headers().allValues("Link")).hasSize(2);
      assertThat(seen).containsExactly("POST /whep/match null passed=1 viewer=127.0.0.1 Bearer  ");
      assertThat(joins.takePeriod().attempts()).as("the relay that admits counts it").isEmpty();
      assertThat(unreachable).isEmpty();
    } finally {
      peer.stop(0);
    }
  }

  @Test
  void aRelayThatDoesNotTakeAPackedJoin_leavesItToBeAdmittedHere() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer full = peer(503, seen);
    JoinRouter.Peer gone =
        new JoinRouter.Peer("i-c", new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
    try {
      passTo = Optional.of(new JoinRouter.Peer("i-a", full.getAddress()));
      HttpResponse<String> first =
          send("POST", "/whep/match", "", "Authorization", "Bearer " + token("v1"));
      passTo = Optional.of(gone);
      HttpResponse<String> second =
          send("POST", "/whep/match", "", "Authorization", "Bearer " + token("v2"));

      // Admitted here: this relay's SFU (a dead port in this test) is asked for the offer.
      assertThat(first.statusCode()).isEqualTo(502);
      assertThat(first.body()).startsWith("the relay's SFU failed");
      assertThat(second.body()).startsWith("the relay's SFU failed");
      assertThat(seen).hasSize(1);
      assertThat(unreachable).extracting(JoinRouter.Peer::id).containsExactly("i-a", "i-c");
      assertThat(joins.takePeriod().attempts()).containsEntry("IE", 2);
    } finally {
      full.stop(0);
    }
  }

  @Test
  void aPackedRelaysRefusal_reachesTheViewer_andAPassedJoinIsNeverPassedAgain() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer refusing = peer(401, seen);
    try {
      passTo = Optional.of(new JoinRouter.Peer("i-a", refusing.getAddress()));
      HttpResponse<String> refused =
          send("POST", "/whep/match", "", "Authorization", "Bearer forged");
      HttpResponse<String> passed =
          send(
              "POST",
              "/whep/match",
              "",
              "Authorization",
              "Bearer " + token("v1"),
              WhepServer.PASSED,
              "1");

      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(passed.statusCode()).as("admitted here, its SFU down").isEqualTo(502);
      assertThat(seen).hasSize(1);
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void aPassedJoinIsRateLimitedByTheViewersAddress_asThePassingRelaySawIt() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (String viewer : List.of("198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.2")) {
      statuses.add(
          send(
                  "POST",
                  "/whep/match",
                  "",
                  "Authorization",
                  "Bearer " + token("v" + statuses.size()),
                  WhepServer.PASSED,
                  "1",
                  WhepServer.VIEWER_ADDRESS,
                  viewer)
              .statusCode());
    }

    // Two at once per address: the third from 198.51.100.1 waits; another address does not.
    assertThat(statuses).containsExactly(502, 502, 429, 502);
  }
}
