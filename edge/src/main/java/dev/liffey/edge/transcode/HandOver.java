package dev.liffey.edge.transcode;

import dev.liffey.edge.placement.Placement;
import dev.liffey.edge.placement.TranscoderEntry;
import dev.liffey.edge.placement.TranscoderRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A draining transcoder's streams, handed to others: each round, every stream still here is offered
 * to the best transcoder that takes one ({@link Placement}); when it is taken ({@code POST
 * /streams?placed=1}: 201, or 409 when a round whose answer was lost took it already) it ends here
 * and its studio is sent there. A stream nobody takes stays here, served, and is offered again next
 * round: the drain bound decides when it must go. Ticked from one thread.
 */
public final class HandOver {
  private static final Logger log = LoggerFactory.getLogger(HandOver.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private final Transcoder transcoder;
  private final Placement placement;
  private final TranscoderRegistry registry;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Set<String> stranded = new HashSet<>();

  public HandOver(Transcoder transcoder, Placement placement, TranscoderRegistry registry) {
    this.transcoder = transcoder;
    this.placement = placement;
    this.registry = registry;
  }

  /** One round; how many streams were handed over. */
  public int tick() {
    List<String> names = transcoder.names();
    if (names.isEmpty()) {
      return 0;
    }
    List<TranscoderEntry> entries;
    try {
      entries = new ArrayList<>(registry.entries());
    } catch (RuntimeException e) {
      log.warn(
          "the transcoder registry is not read ({}): streams stay here this round", e.getMessage());
      return 0;
    }
    int moved = 0;
    for (String name : names) {
      Set<String> refused = new HashSet<>();
      while (true) {
        TranscoderEntry to = placement.best(entries, refused).orElse(null);
        if (to == null) {
          if (stranded.add(name)) {
            log.warn(
                "stream {}: no other transcoder takes it now; it stays here, served, until one does"
                    + " or the drain bound",
                name);
          }
          break;
        }
        if (offer(to, name)) {
          transcoder.handedOver(name, to.api().resolve("/streams/" + name));
          stranded.remove(name);
          moved++;
          entries.set(entries.indexOf(to), withOneLess(to));
          break;
        }
        refused.add(to.id());
      }
    }
    return moved;
  }

  private static TranscoderEntry withOneLess(TranscoderEntry e) {
    return new TranscoderEntry(
        e.id(),
        e.api(),
        e.instanceType(),
        e.streams() + 1,
        e.room() - 1,
        e.draining(),
        e.at(),
        e.until());
  }

  private boolean offer(TranscoderEntry to, String name) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(to.api().resolve("/streams?placed=1"))
                  .timeout(CALL_TIMEOUT)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 201 || r.statusCode() == 409) {
        return true;
      }
      log.info(
          "stream {}: {} ({}) did not take it: HTTP {} {}",
          name,
          to.id(),
          to.api(),
          r.statusCode(),
          r.body().strip());
      return false;
    } catch (IOException e) {
      log.info("stream {}: {} ({}) not reached: {}", name, to.id(), to.api(), e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
