package dev.liffey.autoscaler.control;

/** Someone else changed the record since it was read; re-read and decide again. */
public final class ConcurrentChangeException extends RuntimeException {
  public ConcurrentChangeException(String message) {
    super(message);
  }
}
