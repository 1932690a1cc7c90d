package dev.liffey.autoscaler.ops;

/**
 * An action on-call asked for that cannot be done as asked; the message names why and what to do
 * instead.
 */
public final class Refused extends RuntimeException {
  public Refused(String message) {
    super(message);
  }
}
