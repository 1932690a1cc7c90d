package dev.liffey.edge.placement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A region's registry in memory; {@link #failing} makes every read throw, as a throttled table. */
public final class InMemoryRegistry implements TranscoderRegistry {
  private final Map<String, TranscoderEntry> entries = new LinkedHashMap<>();
  public volatile boolean failing;

  @Override
  public synchronized void announce(TranscoderEntry entry) {
    entries.put(entry.id(), entry);
  }

  @Override
  public synchronized void leave(String id) {
    entries.remove(id);
  }

  @Override
  public synchronized List<TranscoderEntry> entries() {
    if (failing) {
      throw new IllegalStateException("ProvisionedThroughputExceededException");
    }
    return new ArrayList<>(entries.values());
  }
}
