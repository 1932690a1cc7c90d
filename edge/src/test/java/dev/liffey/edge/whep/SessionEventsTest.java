package dev.liffey.edge.whep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.edge.TestKeys;
import dev.liffey.edge.admission.Admission;
import dev.liffey.edge.admission.RateLimits;
import dev.liffey.edge.admission.TokenKeys;
import dev.liffey.edge.admission.TokenVerifier;
import dev.liffey.edge.drain.Drain;
import dev.liffey.edge.drain.LifecycleActions;
import dev.liffey.edge.janus.JanusApi;
import dev.liffey.edge.metrics.JoinCounts;
import dev.liffey.edge.viewers.Mountpoint;
import dev.liffey.edge.viewers.StreamDirectory;
import dev.liffey.edge.viewers.ViewerSessions;
import dev.liffey.edge.viewers.Viewers;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WHEP's server-sent events over real HTTP, against the real WhepServer and a fake Janus on
 * loopback: a draining relay asks its viewers to reconnect at the URL they joined at, and keeps
 * serving them until they leave.
 */
class SessionEventsTest {
  /** How long anything that should happen is waited for; never a condition of success. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  private static final Pattern LINK =
      Pattern.compile(
          "<([^>]+)>; rel=\"" + Pattern.quote(SessionEvents.REL) + "\"; events=\"reconnect\"");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Viewers viewers = new Viewers();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private FakeJanus janus;
  private KeyPair keys;
  private String state = "InService";

  @BeforeEach
  void start() throws Exception {
    janus = new FakeJanus();
    closing.add(janus);
    keys = TestKeys.p256();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  /** A relay's WHEP server, offering events or not (--no-reconnect-on-drain). */
  private WhepServer relay(Optional<SessionEvents> events) throws Exception {
    return relay(0, 7080, viewers, events);
  }

  /**
   * A relay's WHEP server on {@code port}, whose viewers' ids name {@code 127.0.0.1:advertised}
   * (where the other relays reach it).
   */
  private WhepServer relay(
      int port, int advertised, Viewers viewers, Optional<SessionEvents> events) throws Exception {
    Path key = TestKeys.pem(dir, "k1.pem", keys);
    Admission admission =
        new Admission(
            new TokenVerifier(TokenKeys.fromPemFiles(List.of(key)), Set.of("IE")),
            new RateLimits(20, 1, 100),
            new RateLimits(20, 1, 100));
    ViewerSessions sessions =
        new ViewerSessions(
            admission,
            new JanusApi(janus.uri()),
            StreamDirectory.of(Map.of("match", new Mountpoint(1, Optional.empty()))),
            OptionalInt.empty(),
            () -> false,
            viewers,
            new JoinCounts(),
            Clock.systemUTC(),
            Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), advertised)));
    WhepServer server =
        new WhepServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            4,
            sessions,
            () -> new WhepServer.Health(false, "{}"),
            Optional.empty(),
            JoinRouter.HERE,
            events);
    server.start();
    closing.add(server);
    return server;
  }

  private SessionEvents events(Duration keepAliveEvery) {
    return new SessionEvents(id -> viewers.get(id).isPresent(), Optional.empty(), keepAliveEvery);
  }

  /** The relay's drain as the agent wires it, ticked by the test; its lifecycle does nothing. */
  private Drain drain(SessionEvents events) {
    return new Drain(
        () -> Optional.of(state),
        new LifecycleActions() {
          @Override
          public void heartbeat() {}

          @Override
          public void complete() {}
        },
        accept -> {},
        events::draining,
        viewers::size,
        "viewers",
        Duration.ofSeconds(60),
        Duration.ofHours(2),
        Clock.systemUTC());
  }

  private HttpResponse<String> send(
      WhepServer server, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base(server) + path))
            .timeout(BOUND)
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String base(WhepServer server) {
    return "http://127.0.0.1:" + server.address().getPort();
  }

  /** A viewer's join: the 201. */
  private HttpResponse<String> join(WhepServer server) throws Exception {
    String token = TestKeys.irishViewerOfMatch(keys, "viewer-1");
    HttpResponse<String> r =
        send(server, "POST", "/whep/match", "", "Authorization", "Bearer " + token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return r;
  }

  /** The joined viewer's id: the last segment of its resource URL. */
  private static String viewerId(HttpResponse<String> joined) {
    String resource = joined.headers().firstValue("Location").orElseThrow();
    return resource.substring(resource.lastIndexOf('/') + 1);
  }

  private static String eventsUrl(HttpResponse<String> joined) {
    List<String> links = joined.headers().allValues("Link");
    assertThat(links).hasSize(1);
    Matcher m = LINK.matcher(links.get(0));
    assertThat(m.matches()).as(links.get(0)).isTrue();
    return m.group(1);
  }

  /** A viewer joined, subscribed to reconnect and reading its event stream. */
  private EventStream watching(WhepServer server) throws Exception {
    HttpResponse<String> subscribed =
        send(server, "POST", eventsUrl(join(server)), "[\"reconnect\"]");
    assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
    return open(server, subscribed.headers().firstValue("Location").orElseThrow());
  }

  private EventStream open(WhepServer server, String path) throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base(server) + path)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    EventStream s = new EventStream(r);
    closing.add(s);
    return s;
  }

  /** An open event stream, its lines read as they come on a thread of its own. */
  private static final class EventStream implements AutoCloseable {
    static final String END = "<end of stream>";
    final HttpResponse<InputStream> response;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    EventStream(HttpResponse<InputStream> response) {
      this.response = response;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                  }
                } catch (Exception e) {
                  // closed by the test, or the connection reset: the end either way
                }
                lines.add(END);
              },
              "event-stream-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next line that is not blank, or null if none came within the bound. */
    String next() throws InterruptedException {
      long until = System.nanoTime() + BOUND.toNanos();
      while (true) {
        String l = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (l == null || !l.isBlank()) {
          return l;
        }
      }
    }

    @Override
    public void close() throws Exception {
      response.body().close();
    }
  }

  @Test
  void aViewersJoinLinksItsEventsUrl_whereSubscribingAnswers201WithTheStreamsLocation()
      throws Exception {
    WhepServer server = relay(Optional.of(events(SessionEvents.KEEP_ALIVE_EVERY)));

    HttpResponse<String> joined = join(server);
    String url = eventsUrl(joined);
    HttpResponse<String> subscribed = send(server, "POST", url, "[\"reconnect\", \"layers\"]");

    assertThat(url).isEqualTo(joined.headers().firstValue("Location").orElseThrow() + "/events");
    assertThat(subscribed.statusCode()).isEqualTo(201);
    assertThat(subscribed.headers().firstValue("Location").orElseThrow())
        .matches(Pattern.quote(url) + "/[0-9a-f-]{36}");
    EventStream stream = open(server, subscribed.headers().firstValue("Location").orElseThrow());
    assertThat(stream.response.statusCode()).isEqualTo(200);
    assertThat(stream.response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
  }

  @Test
  void aSubscriptionThatIsNoArrayOfNames_is400NamingWhy_andAnUnknownViewers404() throws Exception {
    WhepServer server = relay(Optional.of(events(SessionEvents.KEEP_ALIVE_EVERY)));
    String url = eventsUrl(join(server));

    HttpResponse<String> object = send(server, "POST", url, "{\"events\":[\"reconnect\"]}");
    HttpResponse<String> number = send(server, "POST", url, "[\"reconnect\", 7]");
    HttpResponse<String> notJson = send(server, "POST", url, "reconnect");
    HttpResponse<String> empty = send(server, "POST", url, "");
    HttpResponse<String> unknown =
        send(
            server,
            "POST",
            "/whep/match/127.0.0.1_7080_" + java.util.UUID.randomUUID() + "/events",
            "[\"reconnect\"]");
    HttpResponse<String> noStream =
        send(server, "GET", url + "/" + java.util.UUID.randomUUID(), "");

    assertThat(object.statusCode()).isEqualTo(400);
    assertThat(object.body()).startsWith("the body is a JSON object, not an array");
    assertThat(number.statusCode()).isEqualTo(400);
    assertThat(number.body()).startsWith("element 1 of the array is a JSON number");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).startsWith("the body is not JSON");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).startsWith("the body is empty");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(noStream.statusCode()).isEqualTo(404);
  }

  @Test
  void aDrainingRelay_asksEachSubscribedViewerToReconnectWhereItJoined_andKeepsServingIt()
      throws Exception {
    SessionEvents events = events(SessionEvents.KEEP_ALIVE_EVERY);
    WhepServer server = relay(Optional.of(events));
    Drain drain = drain(events);
    EventStream stream = watching(server);

    drain.tick();
    state = "Terminated";
    drain.tick();

    assertThat(stream.next()).isEqualTo("event: reconnect");
    assertThat(stream.next()).isEqualTo("data: {\"url\":\"/whep/match\"}");
    assertThat(viewers.size())
        .as("nothing is cut: the viewer leaves when it has moved")
        .isEqualTo(1);
    assertThat(janus.sessions()).isEqualTo(1);
  }

  @Test
  void aViewerWhoOpensItsStreamOnceTheDrainStarted_isAskedAtOnce_andOnlyOnce() throws Exception {
    SessionEvents events = events(SessionEvents.KEEP_ALIVE_EVERY);
    WhepServer server = relay(Optional.of(events));
    HttpResponse<String> joined = join(server);
    HttpResponse<String> subscribed = send(server, "POST", eventsUrl(joined), "[\"reconnect\"]");
    String location = subscribed.headers().firstValue("Location").orElseThrow();

    events.draining(true);
    EventStream stream = open(server, location);
    events.draining(true);
    send(server, "DELETE", joined.headers().firstValue("Location").orElseThrow(), "");

    assertThat(stream.next()).isEqualTo("event: reconnect");
    assertThat(stream.next()).startsWith("data: ");
    assertThat(stream.next()).as("asked once, then the viewer left").isEqualTo(EventStream.END);
  }

  @Test
  void aReconnectNamesThePublicUrl_whenTheRelayKnowsIt() {
    SessionEvents events =
        new SessionEvents(
            id -> true, Optional.of(URI.create("https://edge.example/")), Duration.ofSeconds(15));

    assertThat(events.reconnectUrl("match@720")).isEqualTo("https://edge.example/whep/match@720");
  }

  @Test
  void theViewersDeleteClosesItsEventStream() throws Exception {
    WhepServer server = relay(Optional.of(events(SessionEvents.KEEP_ALIVE_EVERY)));
    HttpResponse<String> joined = join(server);
    HttpResponse<String> subscribed = send(server, "POST", eventsUrl(joined), "[\"reconnect\"]");
    EventStream stream = open(server, subscribed.headers().firstValue("Location").orElseThrow());

    HttpResponse<String> left =
        send(server, "DELETE", joined.headers().firstValue("Location").orElseThrow(), "");

    assertThat(left.statusCode()).isEqualTo(200);
    assertThat(stream.next()).isEqualTo(EventStream.END);
  }

  @Test
  void anOpenStreamIsKeptAliveWithComments_andEndsOnceItsViewerIsGone() throws Exception {
    WhepServer server = relay(Optional.of(events(Duration.ofMillis(100))));
    EventStream stream = watching(server);

    assertThat(stream.next()).isEqualTo(": keep-alive");
    viewers.all().forEach(v -> viewers.remove(v.id())); // as when Janus loses a viewer

    String line = stream.next();
    while (": keep-alive".equals(line)) {
      line = stream.next();
    }
    assertThat(line).isEqualTo(EventStream.END);
  }

  @Test
  void theRelayStoppingClosesItsEventStreams() throws Exception {
    WhepServer server = relay(Optional.of(events(SessionEvents.KEEP_ALIVE_EVERY)));
    EventStream stream = watching(server);

    server.close();

    assertThat(stream.next()).isEqualTo(EventStream.END);
  }

  @Test
  void switchedOff_aViewerIsOfferedNoEvents_soADrainAsksNobody() throws Exception {
    WhepServer server = relay(Optional.empty());

    HttpResponse<String> joined = join(server);
    String resource = joined.headers().firstValue("Location").orElseThrow();

    assertThat(joined.headers().allValues("Link")).isEmpty();
    assertThat(send(server, "POST", resource + "/events", "[\"reconnect\"]").statusCode())
        .isEqualTo(404);
  }

  @Test
  void aSubscriptionForAViewerAnotherRelayHolds_isPassedToThatRelay() throws Exception {
    WhepServer server = relay(Optional.of(events(SessionEvents.KEEP_ALIVE_EVERY)));
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer owner =
        com.sun.net.httpserver.HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    owner.createContext(
        "/",
        x -> {
          seen.add(
              x.getRequestMethod()
                  + " "
                  + x.getRequestURI()
                  + " passed="
                  + x.getRequestHeaders().getFirst(WhepServer.PASSED)
                  + " "
                  + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          x.getResponseHeaders().set("Location", x.getRequestURI() + "/s1");
          x.sendResponseHeaders(201, -1);
          x.close();
        });
    owner.start();
    closing.add(() -> owner.stop(0));
    String url =
        "/whep/match/127.0.0.1_"
            + owner.getAddress().getPort()
            + "_0b7e7a52-3f0e-4c38-9d55-5b0c4f3c2f11/events";

    HttpResponse<String> r = send(server, "POST", url, "[\"reconnect\"]");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location")).hasValue(url + "/s1");
    assertThat(seen).containsExactly("POST " + url + " passed=1 [\"reconnect\"]");
  }

  @Test
  void aViewerWhoseRequestsReachAnotherRelay_getsItsEventsThroughIt_fromTheRelayHoldingIt()
      throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    SessionEvents holdingEvents = events(SessionEvents.KEEP_ALIVE_EVERY);
    WhepServer holding = relay(port, port, viewers, Optional.of(holdingEvents));
    WhepServer other =
        relay(0, 7080, new Viewers(), Optional.of(events(SessionEvents.KEEP_ALIVE_EVERY)));
    HttpResponse<String> joined = join(holding);
    String resource = joined.headers().firstValue("Location").orElseThrow();

    HttpResponse<String> subscribed = send(other, "POST", eventsUrl(joined), "[\"reconnect\"]");
    EventStream stream = open(other, subscribed.headers().firstValue("Location").orElseThrow());
    holdingEvents.draining(true);

    assertThat(stream.response.statusCode()).isEqualTo(200);
    assertThat(stream.response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(stream.next()).isEqualTo("event: reconnect");
    assertThat(stream.next()).isEqualTo("data: {\"url\":\"/whep/match\"}");
    assertThat(send(other, "DELETE", resource, "").statusCode()).isEqualTo(200);
    assertThat(stream.next()).as("ended by the holding relay").isEqualTo(EventStream.END);
    assertThat(viewers.size()).isZero();
  }

  @Test
  void aStreamPassedOnce_isNeverPassedAgain_andAHoldingRelayThatIsDown_is502() throws Exception {
    WhepServer server = relay(Optional.of(events(SessionEvents.KEEP_ALIVE_EVERY)));
    String elsewhere = "/whep/match/127.0.0.1_9_" + java.util.UUID.randomUUID() + "/events/x";

    HttpResponse<String> again = send(server, "GET", elsewhere, "", WhepServer.PASSED, "1");
    HttpResponse<String> down = send(server, "GET", elsewhere, "");

    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(down.statusCode()).isEqualTo(502);
    assertThat(down.body()).startsWith("the relay holding this viewer did not answer");
  }

  @Test
  void aViewerSubscribedToReconnectFollowsIt_oneSubscribedToOtherEventsOnlyDoesNot_norOnceReplaced()
      throws Exception {
    SessionEvents events = events(SessionEvents.KEEP_ALIVE_EVERY);
    WhepServer server = relay(Optional.of(events));
    HttpResponse<String> follower = join(server);
    HttpResponse<String> other = join(server);

    send(server, "POST", eventsUrl(follower), "[\"layers\", \"reconnect\"]");
    send(server, "POST", eventsUrl(other), "[\"layers\"]");

    assertThat(events.followingReconnect()).containsExactly(viewerId(follower));
    send(server, "POST", eventsUrl(follower), "[\"layers\"]"); // subscribing again replaces it
    assertThat(events.followingReconnect()).isEmpty();
  }

  @Test
  void aViewerNoLongerFollowsReconnect_onceItsDeleteEndsItsSubscription_orJanusLosesIt()
      throws Exception {
    SessionEvents events = events(SessionEvents.KEEP_ALIVE_EVERY);
    WhepServer server = relay(Optional.of(events));
    HttpResponse<String> leaving = join(server);
    HttpResponse<String> lost = join(server);
    send(server, "POST", eventsUrl(leaving), "[\"reconnect\"]");
    send(server, "POST", eventsUrl(lost), "[\"reconnect\"]");
    assertThat(events.followingReconnect())
        .containsExactlyInAnyOrder(viewerId(leaving), viewerId(lost));

    send(server, "DELETE", leaving.headers().firstValue("Location").orElseThrow(), "");
    assertThat(events.followingReconnect()).containsExactly(viewerId(lost));
    // As when Janus loses a viewer: long before the next keep-alive would end its subscription.
    viewers.remove(viewerId(lost));
    assertThat(events.followingReconnect()).isEmpty();
  }

  @Test
  void aSubscriptionPassedFromAnotherRelay_followsOnlyOnTheRelayHoldingTheViewer()
      throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    SessionEvents holdingEvents = events(SessionEvents.KEEP_ALIVE_EVERY);
    WhepServer holding = relay(port, port, viewers, Optional.of(holdingEvents));
    Viewers othersViewers = new Viewers();
    SessionEvents othersEvents =
        new SessionEvents(
            id -> othersViewers.get(id).isPresent(),
            Optional.empty(),
            SessionEvents.KEEP_ALIVE_EVERY);
    WhepServer other = relay(0, 7080, othersViewers, Optional.of(othersEvents));
    HttpResponse<String> joined = join(holding);

    HttpResponse<String> subscribed = send(other, "POST", eventsUrl(joined), "[\"reconnect\"]");

    assertThat(subscribed.statusCode()).isEqualTo(201);
    assertThat(holdingEvents.followingReconnect()).containsExactly(viewerId(joined));
    assertThat(othersEvents.followingReconnect()).isEmpty();
  }
}
