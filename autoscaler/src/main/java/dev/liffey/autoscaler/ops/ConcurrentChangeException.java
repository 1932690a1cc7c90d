package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.ControlState.Key;

/**
 * Someone changed an entry of the control table since it was read: the write conditional on the
 * version read was refused, and nothing of the change was written. Look again and decide again.
 */
public final class ConcurrentChangeException extends RuntimeException {
  private final transient Key key;

  public ConcurrentChangeException(Key key, String message) {
    super(message);
    this.key = key;
  }

  /** The entry that changed. */
  public Key key() {
    return key;
  }
}
