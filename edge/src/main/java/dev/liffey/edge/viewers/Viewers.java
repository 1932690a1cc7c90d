package dev.liffey.edge.viewers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The viewers this relay holds, by WHEP id and by Janus session: what the relay counts per market,
 * measures (round-trip times) and waits for while draining. Thread-safe.
 */
public final class Viewers {
  private final Map<String, Viewer> byId = new ConcurrentHashMap<>();
  private final Map<Long, String> idBySession = new ConcurrentHashMap<>();

  /** A viewer admitted and offered an SDP, not yet watching. */
  public void offered(Viewer v) {
    byId.put(v.id(), v);
    idBySession.put(v.janus().session(), v.id());
  }

  public Optional<Viewer> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The viewer answered and Janus started its media. */
  public void watching(String id) {
    byId.computeIfPresent(id, (k, v) -> v.answered());
  }

  /** Janus moved the viewer to another mountpoint (another rendition of its stream). */
  public void switched(String id, long mountpoint) {
    byId.computeIfPresent(id, (k, v) -> v.on(mountpoint));
  }

  /** Forgets a viewer (it left, or Janus ended its session); empty when it was already gone. */
  public Optional<Viewer> remove(String id) {
    Viewer v = byId.remove(id);
    if (v != null) {
      idBySession.remove(v.janus().session());
    }
    return Optional.ofNullable(v);
  }

  /** The viewer whose Janus session this is, if it is still here. */
  public Optional<String> idOfSession(long session) {
    return Optional.ofNullable(idBySession.get(session));
  }

  /** Records the latest RTCP round-trip time Janus measured to a viewer. */
  public void rtt(long session, double millis) {
    idOfSession(session).ifPresent(id -> byId.computeIfPresent(id, (k, v) -> v.withRtt(millis)));
  }

  /** Viewers watching, by market, sorted: what {@code ConcurrentViewers} publishes. */
  public Map<String, Integer> watchingByMarket() {
    return watchingByMarket(id -> true);
  }

  /**
   * Viewers watching whose id {@code among} accepts, by market, sorted: how many of a market's
   * watching viewers are of some kind (those whose players follow a reconnect event).
   */
  public Map<String, Integer> watchingByMarket(Predicate<String> among) {
    Map<String, Integer> out = new TreeMap<>();
    byId.values().stream()
        .filter(v -> v.watching() && among.test(v.id()))
        .forEach(v -> out.merge(v.market(), 1, Integer::sum));
    return out;
  }

  /** The latest round-trip time of each watching viewer that has one, by market. */
  public Map<String, List<Double>> rttsByMarket() {
    Map<String, List<Double>> out = new TreeMap<>();
    for (Viewer v : byId.values()) {
      if (v.watching() && v.rttMillis().isPresent()) {
        out.computeIfAbsent(v.market(), k -> new ArrayList<>()).add(v.rttMillis().getAsDouble());
      }
    }
    return out;
  }

  /**
   * The p95 of the watching viewers' latest round-trip times (the nearest rank), empty while none
   * has one.
   */
  public OptionalDouble rttP95() {
    double[] rtts =
        byId.values().stream()
            .filter(v -> v.watching() && v.rttMillis().isPresent())
            .mapToDouble(v -> v.rttMillis().getAsDouble())
            .sorted()
            .toArray();
    if (rtts.length == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(rtts[(int) Math.ceil(0.95 * rtts.length) - 1]);
  }

  /** Every viewer here, offered or watching. */
  public int size() {
    return byId.size();
  }

  public List<Viewer> all() {
    return List.copyOf(byId.values());
  }

  /** Offers made before {@code before} and never answered: the viewer went away. */
  public List<Viewer> unansweredSince(Instant before) {
    return byId.values().stream()
        .filter(v -> !v.watching() && v.offeredAt().isBefore(before))
        .toList();
  }
}
