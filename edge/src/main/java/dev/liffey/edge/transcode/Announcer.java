package dev.liffey.edge.transcode;

import dev.liffey.edge.RepeatedProblem;
import dev.liffey.edge.placement.TranscoderEntry;
import dev.liffey.edge.placement.TranscoderRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This transcoder's entry in its region's registry: renewed every publish period, and at once
 * (within a poll) when its streams, its room or its draining change, so placement never works for
 * long from a stale room. A write that fails is logged and tried again at the next renewal.
 */
final class Announcer {
  private static final Logger log = LoggerFactory.getLogger(Announcer.class);

  private final TranscoderRegistry registry;
  private final String id;
  private final URI api;
  private final String instanceType;
  private final Transcoder transcoder;
  private final Duration lease;
  private final Clock clock;
  private Said last;
  private final RepeatedProblem problems = new RepeatedProblem();

  /**
   * @param lease how long the entry holds without a renewal (three publish periods)
   */
  Announcer(
      TranscoderRegistry registry,
      String id,
      URI api,
      String instanceType,
      Transcoder transcoder,
      Duration lease,
      Clock clock) {
    this.registry = registry;
    this.id = id;
    this.api = api;
    this.instanceType = instanceType;
    this.transcoder = transcoder;
    this.lease = lease;
    this.clock = clock;
  }

  /** What an entry says of this transcoder that can change between renewals. */
  private record Said(int streams, int room, boolean draining) {
    static Said of(Transcoder t) {
      return new Said(t.size(), t.room(), t.draining());
    }
  }

  /** Renews the entry. */
  synchronized void announce() {
    write(Said.of(transcoder));
  }

  /** Renews the entry when what it says has changed since the last one written. */
  synchronized void announceIfChanged() {
    Said now = Said.of(transcoder);
    if (!now.equals(last)) {
      write(now);
    }
  }

  private void write(Said said) {
    Instant now = clock.instant();
    try {
      registry.announce(
          new TranscoderEntry(
              id,
              api,
              instanceType,
              said.streams(),
              said.room(),
              said.draining(),
              now,
              now.plus(lease)));
      last = said;
      if (problems.ended()) {
        log.info("announced in the registry again");
      }
    } catch (RuntimeException e) {
      String problem = String.valueOf(e.getMessage());
      if (problems.isNew(problem)) {
        log.warn("not announced in the registry ({}); trying again", problem);
      }
    }
  }

  /** Removes the entry: the agent is stopping. */
  void leave() {
    try {
      registry.leave(id);
    } catch (RuntimeException e) {
      log.warn("registry entry not removed (it lapses): {}", e.getMessage());
    }
  }
}
