package dev.liffey.edge.packing;

import java.util.List;

/** Where a region's relays announce how full they are, and read how full the others are. */
public interface RelayRegistry {
  /** Writes (or renews) this relay's entry. */
  void announce(RelayEntry entry);

  /** Removes this relay's entry: it is going. */
  void leave(String id);

  /** The region's entries as written, expired ones included (readers judge {@code until}). */
  List<RelayEntry> entries();
}
