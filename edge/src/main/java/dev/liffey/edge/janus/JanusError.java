package dev.liffey.edge.janus;

/**
 * Janus answered with an error, or did not answer. {@code code} is Janus's (458 no such session,
 * 472 not accepting new sessions, a streaming plugin's 455 no such mountpoint), or {@link
 * #UNREACHABLE} when the HTTP call itself failed.
 */
public final class JanusError extends RuntimeException {
  public static final int UNREACHABLE = -1;
  public static final int NO_SUCH_SESSION = 458;
  public static final int NOT_ACCEPTING_NEW_SESSIONS = 472;

  private final int code;

  public JanusError(int code, String message) {
    super(message);
    this.code = code;
  }

  public JanusError(String message, Throwable cause) {
    super(message, cause);
    this.code = UNREACHABLE;
  }

  public int code() {
    return code;
  }
}
