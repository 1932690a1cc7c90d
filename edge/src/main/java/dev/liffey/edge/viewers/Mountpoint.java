package dev.liffey.edge.viewers;

import java.util.Optional;

/**
 * A Janus streaming mountpoint a WHEP stream name maps to.
 *
 * @param secret the mountpoint's secret, where it has one (for the plugin's {@code info} request)
 */
public record Mountpoint(long id, Optional<String> secret) {}
