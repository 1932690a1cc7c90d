package dev.liffey.edge.placement;

import java.util.List;

/** Where a region's transcoders announce themselves, and relays and studios find them. */
public interface TranscoderRegistry {
  /** Writes (or renews) this transcoder's entry. */
  void announce(TranscoderEntry entry);

  /** Removes this transcoder's entry: it is going. */
  void leave(String id);

  /** The region's entries as written, expired ones included (readers judge {@code until}). */
  List<TranscoderEntry> entries();
}
