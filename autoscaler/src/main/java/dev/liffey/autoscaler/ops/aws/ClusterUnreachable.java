package dev.liffey.autoscaler.ops.aws;

/**
 * A Kubernetes API server could not be reached; the message says what the client saw, in one line.
 */
public final class ClusterUnreachable extends RuntimeException {
  public ClusterUnreachable(String message, Throwable cause) {
    super(message.replaceAll("\\s+", " "), cause);
  }
}
