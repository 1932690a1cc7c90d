package dev.liffey.autoscaler.engine;

import java.util.Locale;

/**
 * What a fleet's units are: relays (viewers), GPU transcoders (streams) or Kubernetes services
 * (viewers).
 */
public enum FleetKind {
  RELAY,
  TRANSCODE,
  SERVICE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
