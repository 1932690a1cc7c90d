package dev.liffey.edge.viewers;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Which Janus mountpoint a WHEP stream name watches, and the names there are. */
public interface StreamDirectory {
  Optional<Mountpoint> mountpoint(String stream);

  /** Every name a viewer may ask for now, for the 404 that lists them. */
  Collection<String> names();

  /** Mountpoints fixed in Janus's configuration ({@code --stream}). */
  static StreamDirectory of(Map<String, Mountpoint> fixed) {
    Map<String, Mountpoint> copy = Map.copyOf(fixed);
    return new StreamDirectory() {
      @Override
      public Optional<Mountpoint> mountpoint(String stream) {
        return Optional.ofNullable(copy.get(stream));
      }

      @Override
      public Collection<String> names() {
        return new java.util.TreeSet<>(copy.keySet());
      }
    };
  }

  /** This one's names first, then {@code other}'s. */
  default StreamDirectory or(StreamDirectory other) {
    StreamDirectory self = this;
    return new StreamDirectory() {
      @Override
      public Optional<Mountpoint> mountpoint(String stream) {
        return self.mountpoint(stream).or(() -> other.mountpoint(stream));
      }

      @Override
      public Collection<String> names() {
        java.util.List<String> all = new java.util.ArrayList<>(self.names());
        all.addAll(other.names());
        return all;
      }
    };
  }
}
