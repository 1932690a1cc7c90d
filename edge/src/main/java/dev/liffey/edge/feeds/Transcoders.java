package dev.liffey.edge.feeds;

import dev.liffey.edge.RepeatedProblem;
import dev.liffey.edge.placement.TranscoderEntry;
import dev.liffey.edge.placement.TranscoderRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcoders a relay follows: those given on its command line, then those its region's
 * registry holds now (draining ones last, so a stream being handed over is taken from its new
 * transcoder first). When the registry cannot be read, the last list read stands. Used from one
 * thread.
 */
public final class Transcoders implements Supplier<List<URI>> {
  private static final Logger log = LoggerFactory.getLogger(Transcoders.class);

  private final List<URI> given;
  private final Optional<TranscoderRegistry> registry;
  private final Clock clock;
  private List<URI> registered = List.of();
  private final RepeatedProblem problems = new RepeatedProblem();

  public Transcoders(List<URI> given, Optional<TranscoderRegistry> registry, Clock clock) {
    this.given = List.copyOf(given);
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public List<URI> get() {
    registry.ifPresent(this::read);
    Set<URI> out = new LinkedHashSet<>(given);
    out.addAll(registered);
    return new ArrayList<>(out);
  }

  private void read(TranscoderRegistry r) {
    List<TranscoderEntry> entries;
    try {
      entries = r.entries();
    } catch (RuntimeException e) {
      String problem = String.valueOf(e.getMessage());
      if (problems.isNew(problem)) {
        log.warn("the transcoder registry is not read ({}); following {}", problem, registered);
      }
      return;
    }
    if (problems.ended()) {
      log.info("the transcoder registry is read again");
    }
    Instant now = clock.instant();
    List<URI> current =
        entries.stream()
            .filter(e -> now.isBefore(e.until()))
            .sorted(
                Comparator.comparing(TranscoderEntry::draining).thenComparing(TranscoderEntry::id))
            .map(TranscoderEntry::api)
            .toList();
    if (!current.equals(registered)) {
      log.info("transcoders of the region: {}", current);
    }
    registered = current;
  }
}
