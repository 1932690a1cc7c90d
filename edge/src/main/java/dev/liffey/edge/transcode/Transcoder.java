package dev.liffey.edge.transcode;

import dev.liffey.core.media.Ladder;
import dev.liffey.edge.transcode.LadderAssignment.RegionPlan;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transcoder instance's live streams: each one's SRT ingest port, its ladder (its share of the
 * region's plan in the control table, within this instance's slots: {@link LadderAssignment}), and
 * the relays its renditions go to. Relays register themselves for each stream with the mountpoint
 * port of every rendition and renew that every few seconds; a relay that stops renewing (gone,
 * drained) stops receiving after {@link Settings#relayLease}. A stream that would find no slot
 * here, even with the others shortened, is refused, never queued. While the instance drains it
 * takes no new stream, and each of its streams is handed over to another transcoder ({@link
 * #handedOver}): its listener closes, and its studio, asking the stream's address here again, is
 * sent on. Thread-safe.
 */
public final class Transcoder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Transcoder.class);

  /**
   * @param advertisedHost where studios reach this instance's SRT listeners
   * @param bindHost the address the SRT listeners bind
   * @param firstPort the first ingest port (UDP: SRT runs over UDP)
   * @param lastPort the last ingest port
   * @param slots this instance's full-ladder slots (its GPU type's streams per instance)
   * @param relayLease how long a relay's registration holds without a renewal
   */
  public record Settings(
      String advertisedHost,
      String bindHost,
      int firstPort,
      int lastPort,
      double slots,
      Duration relayLease,
      StreamTranscoder.Settings stream) {}

  /** Why a request was refused, with the HTTP status it maps to. */
  public static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** A relay's registration for one stream: where each rendition goes, until when. */
  private record Lease(String host, Map<Integer, Integer> ports, Instant until) {}

  private record Live(StreamTranscoder stream, int port, Map<String, Lease> relays) {}

  /** What {@code GET /streams} shows of one stream. */
  public record StreamView(
      String name,
      String ingest,
      String ladder,
      List<Integer> renditions,
      List<String> relays,
      Map<Integer, Long> packetsSent) {}

  private final Settings settings;
  private final Supplier<RegionPlan> plans;
  private final Map<String, Live> streams = new LinkedHashMap<>();
  private final Set<String> overSlots = new HashSet<>();
  private final Set<String> refusedForSlots = new HashSet<>();
  private final Map<String, URI> movedTo = new HashMap<>();
  private boolean accepting = true;
  private RegionPlan plan = RegionPlan.FULL;
  private String lastPlanProblem = "";
  private boolean closed;

  /**
   * @param plans reads the region's ladder plan (the control table); may throw
   */
  public Transcoder(Settings settings, Supplier<RegionPlan> plans) {
    this.settings = settings;
    this.plans = plans;
  }

  /**
   * Takes a new live stream: an SRT listener for its studio and an encoder on the ladder this
   * instance can give it, shortening the others' where the plan or its slots say so.
   *
   * @return the stream as shown by {@link #streams()}
   * @throws Refused 409 when it is here already, 503 when there is no slot or port for it
   */
  public synchronized StreamView start(String name) {
    if (closed || !accepting) {
      throw new Refused(
          503,
          "this transcoder is "
              + (closed ? "stopping" : "draining")
              + ": send the stream to another transcoder");
    }
    if (streams.containsKey(name)) {
      throw new Refused(409, "stream '" + name + "' is live here already");
    }
    List<String> names = new ArrayList<>(streams.keySet());
    names.add(name);
    LadderAssignment.Result fit = LadderAssignment.assign(names, plan, settings.slots());
    if (fit.waiting().contains(name)) {
      refusedForSlots.add(name); // demand all the same: the autoscaler counts it
      throw new Refused(
          503,
          String.format(
              java.util.Locale.ROOT,
              "no slot for '%s' (streams live here: %d; full-ladder slots: %.0f%s); send it to"
                  + " another transcoder",
              name,
              streams.size(),
              settings.slots(),
              plan.forced().map(l -> "; every stream on " + l.label() + " by on-call").orElse("")));
    }
    int port = freePort();
    movedTo.remove(name);
    StreamTranscoder st =
        new StreamTranscoder(
            name,
            new InetSocketAddress(settings.bindHost(), port),
            fit.ladders().get(name),
            settings.stream());
    streams.put(name, new Live(st, port, new LinkedHashMap<>()));
    log.info(
        "stream {}: live on {} (ingest srt://{}:{})",
        name,
        fit.ladders().get(name).label(),
        settings.advertisedHost(),
        port);
    apply(fit);
    return view(name, streams.get(name));
  }

  /** Ends a stream here; false when it was not here. */
  public boolean stop(String name) {
    Live live;
    synchronized (this) {
      live = streams.remove(name);
    }
    if (live == null) {
      return false;
    }
    live.stream().close();
    log.info("stream {}: ended", name);
    return true;
  }

  /**
   * A stream another transcoder has taken: it ends here, and its address here sends its studio
   * there ({@link #movedTo}).
   *
   * @param there the stream's resource at the transcoder that took it
   */
  public void handedOver(String name, URI there) {
    synchronized (this) {
      movedTo.put(name, there);
    }
    if (stop(name)) {
      log.info("stream {}: handed over to {}", name, there);
    }
  }

  /** Where a stream handed over from here went. */
  public synchronized Optional<URI> movedTo(String name) {
    return Optional.ofNullable(movedTo.get(name));
  }

  /** Whether this instance takes new streams (false while it drains). */
  public synchronized void accepting(boolean accepting) {
    if (this.accepting != accepting) {
      log.info(accepting ? "taking new streams again" : "draining: taking no new stream");
    }
    this.accepting = accepting;
  }

  public synchronized boolean draining() {
    return !accepting;
  }

  /**
   * How many more streams this instance takes now, under the region's plan and its slots (0 while
   * it drains).
   */
  public synchronized int room() {
    if (closed || !accepting) {
      return 0;
    }
    List<String> names = new ArrayList<>(streams.keySet());
    int limit = settings.lastPort() - settings.firstPort() + 1 - names.size();
    int room = 0;
    while (room < limit) {
      names.add("\0room-" + room); // a name no stream has
      if (!LadderAssignment.assign(names, plan, settings.slots()).waiting().isEmpty()) {
        break;
      }
      room++;
    }
    return room;
  }

  /** The streams live here. */
  public synchronized List<String> names() {
    return List.copyOf(streams.keySet());
  }

  /** One stream as {@link #streams()} shows it, if it is live here. */
  public synchronized Optional<StreamView> stream(String name) {
    Live live = streams.get(name);
    return live == null ? Optional.empty() : Optional.of(view(name, live));
  }

  /**
   * Registers (or renews) relay {@code relay} for {@code stream}: rendition {@code height} goes to
   * {@code host:ports[height]}.
   *
   * @throws Refused 404 when the stream is not here
   */
  public synchronized void register(
      String stream, String relay, String host, Map<Integer, Integer> ports, Instant now) {
    Live live = streams.get(stream);
    if (live == null) {
      throw new Refused(404, "no stream '" + stream + "' on this transcoder");
    }
    Lease before =
        live.relays()
            .put(relay, new Lease(host, Map.copyOf(ports), now.plus(settings.relayLease())));
    if (before == null || !before.host().equals(host) || !before.ports().equals(ports)) {
      log.info("stream {}: relay {} at {} gets {}", stream, relay, host, new TreeMap<>(ports));
      route(live);
    }
  }

  /** A relay says it no longer wants {@code stream} (draining, gone). */
  public synchronized boolean unregister(String stream, String relay) {
    Live live = streams.get(stream);
    if (live == null || live.relays().remove(relay) == null) {
      return false;
    }
    route(live);
    return true;
  }

  /** Drops relays whose registration was not renewed in time. */
  public synchronized void expireRelays(Instant now) {
    for (Map.Entry<String, Live> e : streams.entrySet()) {
      Live live = e.getValue();
      if (live.relays().values().removeIf(l -> l.until().isBefore(now))) {
        log.info("stream {}: a relay stopped renewing; it no longer gets the stream", e.getKey());
        route(live);
      }
    }
  }

  /** Reads the region's plan and gives each stream its ladder; a plan not read changes nothing. */
  public void refreshPlan() {
    RegionPlan read;
    try {
      read = plans.get();
    } catch (RuntimeException e) {
      String problem = e.getMessage();
      if (!problem.equals(lastPlanProblem)) {
        log.warn("ladder plan not read: {}; the ladders in force stay", problem);
        lastPlanProblem = problem;
      }
      return;
    }
    lastPlanProblem = "";
    synchronized (this) {
      plan = read;
      apply(LadderAssignment.assign(List.copyOf(streams.keySet()), plan, settings.slots()));
    }
  }

  private void apply(LadderAssignment.Result fit) {
    fit.ladders()
        .forEach(
            (name, ladder) -> {
              Live live = streams.get(name);
              if (live != null && live.stream().ladder() != ladder) {
                live.stream()
                    .setLadder(ladder)
                    .exceptionally(
                        e -> {
                          log.error("stream {}: {}", name, e.getMessage());
                          return null;
                        });
              }
            });
    for (String name : fit.waiting()) {
      // Running streams are never dropped here: they keep their ladder, and new ones are refused.
      if (overSlots.add(name)) {
        log.warn(
            "stream {}: no slot on this transcoder under the plan ({}); kept on {}",
            name,
            plan.forced().map(l -> "every stream on " + l.label()).orElse("the shortest ladder"),
            streams.get(name).stream().ladder().label());
      }
    }
    overSlots.retainAll(fit.waiting());
  }

  /** Points every rendition of {@code live} at the relays registered for it. */
  private static void route(Live live) {
    for (int h : Ladder.FULL.rungs()) {
      List<InetSocketAddress> to = new ArrayList<>();
      for (Lease l : live.relays().values()) {
        Integer port = l.ports().get(h);
        if (port != null) {
          to.add(new InetSocketAddress(l.host(), port));
        }
      }
      live.stream().setDestinations(h, to);
    }
  }

  private int freePort() {
    Set<Integer> used = new HashSet<>();
    streams.values().forEach(l -> used.add(l.port()));
    for (int p = settings.firstPort(); p <= settings.lastPort(); p++) {
      if (!used.contains(p)) {
        return p;
      }
    }
    throw new Refused(
        503,
        "every ingest port "
            + settings.firstPort()
            + "-"
            + settings.lastPort()
            + " is taken: send the stream to another transcoder");
  }

  public synchronized List<StreamView> streams() {
    List<StreamView> out = new ArrayList<>();
    streams.forEach((name, live) -> out.add(view(name, live)));
    return out;
  }

  public synchronized int size() {
    return streams.size();
  }

  /**
   * The full-ladder slots the streams here take, each its ladder's share ({@link
   * Ladder#slotShare}).
   */
  public synchronized double slotsUsed() {
    return streams.values().stream().mapToDouble(l -> l.stream().ladder().slotShare()).sum();
  }

  /**
   * Streams refused for want of a slot since the last call, each once: demand the autoscaler must
   * see, though no transcoder carries them.
   */
  public synchronized Set<String> takeRefusedForSlots() {
    refusedForSlots.removeAll(streams.keySet()); // taken here since: counted as live
    Set<String> out = Set.copyOf(refusedForSlots);
    refusedForSlots.clear();
    return out;
  }

  private StreamView view(String name, Live live) {
    Map<Integer, Long> sent = new LinkedHashMap<>();
    for (int h : live.stream().renditions()) {
      sent.put(h, live.stream().packetsSent(h));
    }
    return new StreamView(
        name,
        "srt://" + settings.advertisedHost() + ":" + live.port(),
        live.stream().ladder().label(),
        live.stream().renditions(),
        List.copyOf(live.relays().keySet()),
        sent);
  }

  @Override
  public void close() {
    List<Live> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(streams.values());
      streams.clear();
    }
    all.forEach(l -> l.stream().close());
  }
}
