package dev.liffey.cli;

/** AWS or Kubernetes could not be reached: exit 3, with the message (what, and how to check). */
final class Unreachable extends RuntimeException {
  Unreachable(String message, Throwable cause) {
    super(message, cause);
  }
}
