package dev.liffey.edge.viewers;

import dev.liffey.edge.admission.Admission;
import dev.liffey.edge.admission.Verdict;
import dev.liffey.edge.janus.JanusApi;
import dev.liffey.edge.janus.JanusError;
import dev.liffey.edge.metrics.JoinCounts;
import dev.liffey.edge.whep.ViewerIds;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A viewer's life on this relay: admitted (token and rates), offered Janus's SDP, watching once it
 * answers, gone when it leaves or Janus loses it. No Janus session is created for a viewer who is
 * refused. Thread-safe.
 */
public final class ViewerSessions {
  /** An offer not answered in this time is reclaimed: the viewer went away mid-join. */
  public static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

  /** What a refused viewer is told to wait before trying again (any relay, through the LB). */
  static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(ViewerSessions.class);

  private final Admission admission;
  private final JanusApi janus;
  private final StreamDirectory streams;
  private final OptionalInt maxViewers;
  private final BooleanSupplier draining;
  private final Viewers viewers;
  private final JoinCounts joins;
  private final Clock clock;
  private final Optional<InetSocketAddress> self;

  /**
   * @param streams which mountpoint a WHEP stream name watches
   * @param maxViewers viewers this relay holds at most (offered or watching), when bounded
   * @param draining whether the relay has stopped admitting
   * @param self where the other relays reach this one's agent, named in viewers' ids so that a
   *     PATCH or DELETE reaching another relay is passed here
   */
  public ViewerSessions(
      Admission admission,
      JanusApi janus,
      StreamDirectory streams,
      OptionalInt maxViewers,
      BooleanSupplier draining,
      Viewers viewers,
      JoinCounts joins,
      Clock clock,
      Optional<InetSocketAddress> self) {
    this.admission = admission;
    this.janus = janus;
    this.streams = streams;
    this.maxViewers = maxViewers;
    this.draining = draining;
    this.viewers = viewers;
    this.joins = joins;
    this.clock = clock;
    this.self = self;
  }

  /** Whether a viewer id names another relay than this one (so its requests belong there). */
  public Optional<InetSocketAddress> elsewhere(String id) {
    return ViewerIds.owner(id).filter(owner -> self.map(s -> !s.equals(owner)).orElse(true));
  }

  /**
   * A WHEP POST.
   *
   * @param address the viewer's address (rate-limited)
   * @param token its bearer token, without "Bearer "
   */
  public Join join(String address, String token, String stream) {
    if (draining.getAsBoolean()) {
      return new Join.Refused(
          503, "this relay is draining: join again to reach another", Optional.of(RETRY_AFTER));
    }
    Mountpoint mountpoint = streams.mountpoint(stream).orElse(null);
    if (mountpoint == null) {
      return new Join.Refused(
          404,
          "no stream '" + stream + "' on this relay; it serves " + streams.names(),
          Optional.empty());
    }
    Instant now = clock.instant();
    Verdict verdict = admission.admit(address, token, stream, now);
    if (verdict instanceof Verdict.Refuse r) {
      String market = r.market().orElse(Admission.UNKNOWN_MARKET);
      joins.attempt(market, address);
      joins.refused(market, contractReason(r.reason()), address);
      return new Join.Refused(
          r.status(),
          "refused: " + r.reason().label(),
          r.status() == 429 ? Optional.of(Duration.ofSeconds(1)) : Optional.empty());
    }
    Verdict.Admit admit = (Verdict.Admit) verdict;
    String client = admit.subject().orElse(address);
    joins.attempt(admit.market(), client);
    if (maxViewers.isPresent() && viewers.size() >= maxViewers.getAsInt()) {
      joins.refused(admit.market(), "full", client);
      return new Join.Refused(
          503,
          "this relay is full (" + maxViewers.getAsInt() + " viewers)",
          Optional.of(RETRY_AFTER));
    }
    return offer(admit, mountpoint, now);
  }

  private Join offer(Verdict.Admit admit, Mountpoint mountpoint, Instant now) {
    long session;
    try {
      session = janus.createSession();
    } catch (JanusError e) {
      if (e.code() == JanusError.NOT_ACCEPTING_NEW_SESSIONS) {
        return new Join.Refused(503, "this relay is draining", Optional.of(RETRY_AFTER));
      }
      log.warn("[stream={}] Janus could not create a session: {}", admit.stream(), e.getMessage());
      return new Join.Refused(
          502, "the relay's SFU failed: " + e.getMessage(), Optional.of(RETRY_AFTER));
    }
    try {
      JanusApi.Viewer jv = new JanusApi.Viewer(session, janus.attachStreaming(session));
      String sdp = janus.watch(jv, mountpoint.id());
      String id = ViewerIds.newId(self);
      viewers.offered(
          new Viewer(
              id,
              admit.market(),
              admit.stream(),
              mountpoint.id(),
              jv,
              now,
              false,
              java.util.OptionalDouble.empty()));
      return new Join.Offered(id, sdp);
    } catch (JanusError e) {
      destroyQuietly(session);
      log.warn(
          "[stream={}] Janus could not offer mountpoint {}: {}",
          admit.stream(),
          mountpoint.id(),
          e.getMessage());
      return new Join.Refused(
          502, "the relay's SFU failed: " + e.getMessage(), Optional.of(RETRY_AFTER));
    }
  }

  /** The contract's reasons ({@code RejectedJoins}): a bad token is not demand, a full relay is. */
  static String contractReason(Verdict.Reason reason) {
    return reason == Verdict.Reason.RATE_LIMITED ? "rate-limited" : "unverified";
  }

  /** A WHEP PATCH: the viewer's SDP answer. False when there is no such viewer (any more). */
  public boolean answer(String id, String answerSdp) {
    Optional<Viewer> v = viewers.get(id);
    if (v.isEmpty()) {
      return false;
    }
    try {
      janus.start(v.get().janus(), answerSdp);
    } catch (JanusError e) {
      if (e.code() == JanusError.NO_SUCH_SESSION) {
        viewers.remove(id);
        return false;
      }
      throw e;
    }
    viewers.watching(id);
    return true;
  }

  /** A WHEP DELETE: the viewer leaves. False when there was no such viewer. */
  public boolean leave(String id) {
    Optional<Viewer> v = viewers.remove(id);
    v.ifPresent(gone -> destroyQuietly(gone.janus().session()));
    return v.isPresent();
  }

  /** Janus ended a viewer's session or PeerConnection (timeout, ICE failure, hang-up). */
  public void janusLost(long session, String why) {
    viewers
        .idOfSession(session)
        .flatMap(viewers::remove)
        .ifPresent(
            v -> {
              log.info("[market={}] viewer {} gone: {}", v.market(), v.id(), why);
              destroyQuietly(session);
            });
  }

  /**
   * Keeps every viewer's Janus session alive, forgets those Janus no longer has, and reclaims
   * offers never answered. Called well within Janus's session timeout.
   */
  public void sweep() {
    Instant now = clock.instant();
    for (Viewer v : viewers.unansweredSince(now.minus(ANSWER_WITHIN))) {
      log.info("[market={}] viewer {} never answered its offer: reclaimed", v.market(), v.id());
      leave(v.id());
    }
    for (Viewer v : viewers.all()) {
      try {
        janus.keepalive(v.janus().session());
      } catch (JanusError e) {
        if (e.code() == JanusError.NO_SUCH_SESSION) {
          janusLost(v.janus().session(), "Janus no longer has its session");
        } else {
          log.warn("cannot keep viewer {}'s session alive: {}", v.id(), e.getMessage());
        }
      }
    }
  }

  private void destroyQuietly(long session) {
    try {
      janus.destroy(session);
    } catch (JanusError e) {
      // Already gone, or Janus is down: either way nothing is left to end.
    }
  }
}
