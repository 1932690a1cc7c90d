package dev.liffey.edge.placement;

import dev.liffey.edge.RepeatedProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a region's new stream goes: to a transcoder that takes it (announced, not draining, room
 * under the ladder plan), of the most preferred GPU type (the order of the fleet's instance types
 * in {@code edge-regions.yaml}: an L4 before an A10G before a T4), then the one with most room.
 * Thread-safe.
 */
public final class Placement {
  private static final Logger log = LoggerFactory.getLogger(Placement.class);

  private final TranscoderRegistry registry;
  private final String self;
  private final List<String> preferredTypes;
  private final Clock clock;
  private final RepeatedProblem problems = new RepeatedProblem();

  /**
   * @param self this instance's id, never chosen as another
   * @param preferredTypes GPU types, most preferred first; a type not listed comes after them
   */
  public Placement(
      TranscoderRegistry registry, String self, List<String> preferredTypes, Clock clock) {
    this.registry = registry;
    this.self = self;
    this.preferredTypes = List.copyOf(preferredTypes);
    this.clock = clock;
  }

  /** The preference rank of a GPU type: its place in the list, unlisted types last. */
  public int rank(String instanceType) {
    int i = preferredTypes.indexOf(instanceType);
    return i < 0 ? preferredTypes.size() : i;
  }

  /** The best of {@code entries} for a new stream, other than this instance and {@code exclude}. */
  public Optional<TranscoderEntry> best(List<TranscoderEntry> entries, Set<String> exclude) {
    Instant now = clock.instant();
    return entries.stream()
        .filter(e -> e.takes(now) && !e.id().equals(self) && !exclude.contains(e.id()))
        .min(
            Comparator.comparingInt((TranscoderEntry e) -> rank(e.instanceType()))
                .thenComparing(Comparator.comparingInt(TranscoderEntry::room).reversed())
                .thenComparing(TranscoderEntry::id));
  }

  /**
   * Another transcoder a new stream should go to rather than this one: one of a more preferred type
   * with room, or, when this one takes nothing, the best that does. Empty when this one is the
   * place, or when the registry cannot be read (this one then takes what it can).
   *
   * @param selfType this instance's GPU type
   * @param selfTakes whether this instance could take the stream
   */
  public Optional<TranscoderEntry> instead(String selfType, boolean selfTakes) {
    List<TranscoderEntry> entries;
    try {
      entries = registry.entries();
      problems.ended();
    } catch (RuntimeException e) {
      String problem = String.valueOf(e.getMessage());
      if (problems.isNew(problem)) {
        log.warn("the transcoder registry is not read ({}): new streams are placed here", problem);
      }
      return Optional.empty();
    }
    Optional<TranscoderEntry> best = best(entries, Set.of());
    if (selfTakes) {
      return best.filter(e -> rank(e.instanceType()) < rank(selfType));
    }
    return best;
  }
}
