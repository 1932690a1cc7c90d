package dev.liffey.autoscaler.engine;

/**
 * The control store refused a write because a replica with a newer fencing token has written: this
 * replica was deposed, and must not act on what it decided.
 */
public final class FencedOut extends RuntimeException {
  public FencedOut(String message) {
    super(message);
  }
}
