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

  /** The write of {@code key} was refused: its version is no longer {@code expectedVersion}. */
  public static ConcurrentChangeException since(Key key, long expectedVersion) {
    return new ConcurrentChangeException(
        key,
        key
            + " was changed by someone else since version "
            + expectedVersion
            + "; read it again and retry");
  }

  /** The entry that changed. */
  public Key key() {
    return key;
  }
}
