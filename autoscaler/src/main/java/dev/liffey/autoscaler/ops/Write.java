package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ControlState.Entry;
import dev.liffey.autoscaler.engine.ControlState.Key;
import java.util.Optional;

/**
 * One entry put or removed, only if its version is still {@code expectedVersion} (0: there must be
 * none).
 *
 * @param entry what to put; empty to remove the entry
 */
public record Write(Key key, Optional<Entry> entry, long expectedVersion) {
  public static Write put(Entry entry, long expectedVersion) {
    return new Write(entry.key(), Optional.of(entry), expectedVersion);
  }

  public static Write remove(Key key, long expectedVersion) {
    return new Write(key, Optional.empty(), expectedVersion);
  }
}
