package dev.liffey.edge.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.liffey.core.media.H264Rendition;
import dev.liffey.core.media.Ladder;
import dev.liffey.edge.janus.JanusApi;
import dev.liffey.edge.janus.JanusApi.RtpMountpoint;
import dev.liffey.edge.janus.JanusError;
import dev.liffey.edge.viewers.Mountpoint;
import dev.liffey.edge.viewers.StreamDirectory;
import dev.liffey.edge.viewers.Viewer;
import dev.liffey.edge.viewers.Viewers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToIntBiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's side of the transcoders' streams: every {@link #sync()} it asks each transcoder of
 * its region for its live streams, makes a Janus mountpoint for each rendition of a new one (every
 * rung of the full ladder, so a rung that comes back has somewhere to go), and registers them with
 * the transcoder, which sends each rendition's RTP there; the registration is renewed each time
 * (the transcoder drops a relay that stops). A WHEP name {@code match-1} watches the tallest
 * rendition the stream has now, {@code match-1@480} that one. When a transcoder's ladder drops a
 * rung, the viewers on it are switched to the next rendition down, in Janus, without a new
 * negotiation. A stream is taken from the first transcoder that lists it (a stream being handed
 * over is briefly listed by two: the draining one comes last); when it moves to another transcoder,
 * the same mountpoints are registered there, so its viewers stay where they are and Janus follows
 * the new source. A stream no transcoder lists for {@link #GONE_AFTER} syncs is removed.
 * Thread-safe.
 */
public final class Feeds implements StreamDirectory, Headroom.Renditions {
  private static final Logger log = LoggerFactory.getLogger(Feeds.class);

  /** Syncs a stream may be missing from every transcoder before its mountpoints go. */
  static final int GONE_AFTER = 3;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  /** One stream here: its mountpoints by rendition and the renditions its transcoder sends now. */
  private record Feed(Map<Integer, RtpMountpoint> mounts, List<Integer> renditions, int missed) {}

  private final JanusApi janus;
  private final Viewers viewers;
  private final Supplier<List<URI>> transcoders;
  private final String relay;
  private final String host;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
  private final Map<URI, String> problems = new ConcurrentHashMap<>();
  private final Map<String, URI> source = new ConcurrentHashMap<>();

  /**
   * @param transcoders the transcoder agents' APIs ({@code http://10.0.3.9:7090}), read each sync
   * @param relay this relay's name at the transcoders (its instance id)
   * @param host where the transcoders send this relay's renditions (its private address)
   */
  public Feeds(
      JanusApi janus, Viewers viewers, Supplier<List<URI>> transcoders, String relay, String host) {
    this.janus = janus;
    this.viewers = viewers;
    this.transcoders = transcoders;
    this.relay = relay;
    this.host = host;
  }

  @Override
  public Optional<Mountpoint> mountpoint(String stream) {
    String[] p = stream.split("@", 2);
    Feed f = feeds.get(p[0]);
    if (f == null || f.renditions().isEmpty()) {
      return Optional.empty();
    }
    int height;
    try {
      height = p.length == 2 ? Integer.parseInt(p[1]) : f.renditions().get(0);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (!f.renditions().contains(height)) {
      return Optional.empty();
    }
    RtpMountpoint m = f.mounts().get(height);
    return Optional.of(new Mountpoint(m.id(), Optional.of(m.secret())));
  }

  @Override
  public Collection<String> names() {
    List<String> out = new ArrayList<>();
    feeds.forEach(
        (name, f) -> {
          out.add(name);
          f.renditions().forEach(h -> out.add(name + "@" + h));
        });
    return out;
  }

  /** Asks every transcoder for its streams, and follows them. One transcoder failing stops none. */
  public void sync() {
    Set<String> seen = new HashSet<>();
    for (URI t : transcoders.get()) {
      JsonNode streams;
      try {
        streams = get(t.resolve("/streams"));
        if (problems.remove(t) != null) {
          log.info("transcoder {} answers again", t);
        }
      } catch (IOException | RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!why.equals(problems.put(t, why))) {
          log.warn("transcoder {} not read: {}; its streams stay until it is back", t, why);
        }
        continue;
      }
      for (JsonNode s : streams) {
        String name = s.path("name").asText("");
        if (name.isEmpty() || seen.contains(name)) {
          continue;
        }
        List<Integer> renditions = new ArrayList<>();
        s.path("renditions").forEach(h -> renditions.add(h.asInt()));
        renditions.sort((a, b) -> b - a);
        try {
          follow(t, name, renditions);
          seen.add(name);
        } catch (RuntimeException e) {
          log.warn("stream {} from {}: {}", name, t, e.getMessage());
        }
      }
    }
    for (String name : List.copyOf(feeds.keySet())) {
      if (!seen.contains(name)) {
        missing(name);
      }
    }
  }

  private void follow(URI transcoder, String name, List<Integer> renditions) {
    Feed before = feeds.get(name);
    if (renditions.isEmpty() && before != null) {
      // Taken over by a transcoder whose studio has not reconnected yet: the renditions it had
      // stand until the new ones are sent, so viewers joining meanwhile wait for them rather than
      // being refused, and viewers of a rung the new ladder lacks are moved when it is known.
      renditions = before.renditions();
    }
    Map<Integer, RtpMountpoint> mounts = before == null ? create(name) : before.mounts();
    if (before != null && !before.renditions().equals(renditions)) {
      log.info("stream {}: renditions {} -> {}", name, before.renditions(), renditions);
      moveViewers(name, before, renditions);
    }
    feeds.put(name, new Feed(mounts, List.copyOf(renditions), 0));
    URI was = source.put(name, transcoder);
    if (was != null && !was.equals(transcoder)) {
      log.info("stream {}: now from transcoder {} (was {})", name, transcoder, was);
    }
    register(transcoder, name, mounts);
  }

  private Map<Integer, RtpMountpoint> create(String name) {
    Map<Integer, RtpMountpoint> mounts = new HashMap<>();
    try {
      for (int h : Ladder.FULL.rungs()) {
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        mounts.put(
            h,
            janus.createRtpMountpoint(
                name + "@" + h, HexFormat.of().formatHex(secret), H264Rendition.fmtp(h)));
      }
    } catch (JanusError e) {
      mounts.values().forEach(this::destroyQuietly);
      throw e;
    }
    log.info(
        "stream {}: mountpoints {}",
        name,
        mounts.entrySet().stream()
            .map(e -> e.getKey() + "p id " + e.getValue().id() + " port " + e.getValue().port())
            .toList());
    return Map.copyOf(mounts);
  }

  /** Viewers of a rung the ladder dropped go to the next rendition down (or the tallest left). */
  private void moveViewers(String name, Feed before, List<Integer> now) {
    if (now.isEmpty()) {
      return;
    }
    for (int h : before.renditions()) {
      if (now.contains(h)) {
        continue;
      }
      int to = now.stream().filter(x -> x < h).findFirst().orElse(now.get(0));
      long from = before.mounts().get(h).id();
      long target = before.mounts().get(to).id();
      for (Viewer v : viewers.all()) {
        if (v.mountpoint() == from && v.watching()) {
          try {
            janus.switchMountpoint(v.janus(), target);
            viewers.switched(v.id(), target);
            log.info("stream {}: viewer {} moved {}p -> {}p", name, v.id(), h, to);
          } catch (JanusError e) {
            log.warn("stream {}: viewer {} not moved to {}p: {}", name, v.id(), to, e.getMessage());
          }
        }
      }
    }
  }

  /** A watching viewer of a transcoder's stream: on which rendition, and what it asked for. */
  private record Watching(Viewer viewer, String stream, int height, int asked) {}

  private List<Watching> watching() {
    Map<Long, Map.Entry<String, Integer>> byMount = new HashMap<>();
    feeds.forEach(
        (name, f) -> f.mounts().forEach((h, m) -> byMount.put(m.id(), Map.entry(name, h))));
    List<Watching> out = new ArrayList<>();
    for (Viewer v : viewers.all()) {
      Map.Entry<String, Integer> on = byMount.get(v.mountpoint());
      if (v.watching() && on != null) {
        String[] asked = v.stream().split("@", 2);
        int height = on.getValue();
        out.add(
            new Watching(
                v,
                on.getKey(),
                height,
                asked.length == 2 && asked[1].matches("\\d{3,4}")
                    ? Integer.parseInt(asked[1])
                    : Integer.MAX_VALUE));
      }
    }
    return out;
  }

  /** How many viewers watch a transcoder's stream here. */
  @Override
  public int watchingCount() {
    return watching().size();
  }

  /**
   * Moves up to {@code max} viewers one rendition down, those on the tallest renditions first: a
   * relay near its CPU or egress limit gives a softer picture rather than a stall.
   *
   * @return how many moved
   */
  @Override
  public int stepDown(int max) {
    return step(
        max,
        (a, b) -> b.height() - a.height(),
        (w, f) -> f.renditions().stream().filter(h -> h < w.height()).findFirst().orElse(-1));
  }

  /**
   * Moves up to {@code max} viewers below what they asked for one rendition up, the lowest first.
   *
   * @return how many moved
   */
  @Override
  public int stepUp(int max) {
    return step(
        max,
        (a, b) -> a.height() - b.height(),
        (w, f) ->
            f.renditions().stream()
                .filter(h -> h > w.height() && h <= w.asked())
                .reduce((a, b) -> b) // renditions run tallest first: the next one up is the last
                .orElse(-1));
  }

  /** Moves viewers in {@code order} to the rendition {@code to} names (-1: none), up to max. */
  private int step(int max, Comparator<Watching> order, ToIntBiFunction<Watching, Feed> to) {
    List<Watching> all = new ArrayList<>(watching());
    all.sort(order);
    int moved = 0;
    for (Watching w : all) {
      if (moved >= max) {
        break;
      }
      Feed f = feeds.get(w.stream());
      int height = f == null ? -1 : to.applyAsInt(w, f);
      if (height > 0 && move(w, f, height)) {
        moved++;
      }
    }
    return moved;
  }

  private boolean move(Watching w, Feed f, int to) {
    long target = f.mounts().get(to).id();
    try {
      janus.switchMountpoint(w.viewer().janus(), target);
      viewers.switched(w.viewer().id(), target);
      log.info(
          "stream {}: viewer {} moved {}p -> {}p", w.stream(), w.viewer().id(), w.height(), to);
      return true;
    } catch (JanusError e) {
      log.warn(
          "stream {}: viewer {} not moved to {}p: {}",
          w.stream(),
          w.viewer().id(),
          to,
          e.getMessage());
      return false;
    }
  }

  private void register(URI transcoder, String name, Map<Integer, RtpMountpoint> mounts) {
    ObjectNode body = json.createObjectNode().put("host", host);
    ObjectNode ports = body.putObject("ports");
    mounts.forEach((h, m) -> ports.put(String.valueOf(h), m.port()));
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(transcoder.resolve("/streams/" + name + "/relays/" + relay))
                  .timeout(CALL_TIMEOUT)
                  .header("Content-Type", "application/json")
                  .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 204) {
        throw new IllegalStateException(
            "registration refused: HTTP " + r.statusCode() + " " + r.body().strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("registration not sent: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void missing(String name) {
    Feed f = feeds.get(name);
    if (f.missed() + 1 < GONE_AFTER) {
      feeds.put(name, new Feed(f.mounts(), f.renditions(), f.missed() + 1));
      return;
    }
    feeds.remove(name);
    source.remove(name);
    f.mounts().values().forEach(this::destroyQuietly);
    log.info("stream {}: no transcoder has it any more; its mountpoints are gone", name);
  }

  private void destroyQuietly(RtpMountpoint m) {
    try {
      janus.destroyMountpoint(m);
    } catch (JanusError e) {
      log.debug("mountpoint {} not destroyed: {}", m.id(), e.getMessage());
    }
  }

  private JsonNode get(URI uri) throws IOException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode());
      }
      JsonNode n = json.readTree(r.body());
      if (!n.isArray()) {
        throw new IOException("not a list of streams");
      }
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
