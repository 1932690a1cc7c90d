package dev.liffey.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * One AWS call that failed, as {@link AwsCallLog} saw it.
 *
 * @param service the SDK's name for it, like {@code AutoScaling}, {@code DynamoDB}, {@code Route53}
 * @param region the region it was made in ({@code aws-global} for Route 53)
 * @param operation like {@code DescribeAutoScalingGroups}
 * @param endpoint where it went ({@code https://autoscaling.eu-west-1.amazonaws.com}), when it got
 *     that far
 * @param sent whether a request left this machine (false: the credentials never loaded)
 * @param error what the SDK threw
 */
record FailedCall(
    String service,
    String region,
    String operation,
    Optional<URI> endpoint,
    boolean sent,
    Throwable error) {
  /**
   * {@link #service()} of the calls the adapters make and leave a region out on failure (they do
   * not throw).
   */
  static final String AUTO_SCALING = "AutoScaling";

  static final String CLOUD_WATCH = "CloudWatch";

  /**
   * {@code autoscaling:SetDesiredCapacity}: the IAM action, as an access-denied message names it.
   */
  String action() {
    return service.toLowerCase(Locale.ROOT) + ":" + operation;
  }

  /**
   * The endpoint without its default port, as people write it; the region's name when it was never
   * reached.
   */
  String where() {
    return endpoint.map(FailedCall::describe).orElse(service + " in " + region);
  }

  static String describe(URI endpoint) {
    boolean defaultPort =
        endpoint.getPort() == -1
            || (endpoint.getScheme().equals("https") && endpoint.getPort() == 443)
            || (endpoint.getScheme().equals("http") && endpoint.getPort() == 80);
    return endpoint.getScheme()
        + "://"
        + endpoint.getHost()
        + (defaultPort ? "" : ":" + endpoint.getPort());
  }

  /** How AWS could not be reached, if that is what happened. */
  Optional<Unreached> unreachable() {
    return unreachable(error);
  }

  /**
   * Why a call never got an answer: from the exception, its causes, and the attempts the SDK keeps
   * as suppressed exceptions (a call that timed out while retrying a connection that timed out).
   */
  static Optional<Unreached> unreachable(Throwable error) {
    if (error instanceof NotTried) {
      return Optional.of(Unreached.NOT_TRIED);
    }
    Unreached found = null;
    for (Throwable t : chain(error)) {
      Unreached u =
          t instanceof UnknownHostException
              ? Unreached.NO_NAME
              : t instanceof NoRouteToHostException
                  ? Unreached.NO_ROUTE
                  : t instanceof ConnectException
                      ? Unreached.REFUSED
                      : t instanceof SocketTimeoutException s
                              && String.valueOf(s.getMessage())
                                  .toLowerCase(Locale.ROOT)
                                  .contains("connect")
                          ? Unreached.NO_CONNECTION
                          : t instanceof SocketTimeoutException
                                  || t instanceof ApiCallTimeoutException
                                  || t instanceof ApiCallAttemptTimeoutException
                              ? Unreached.NO_REPLY
                              : t instanceof IOException ? Unreached.BROKEN : null;
      if (u != null && (found == null || u.ordinal() < found.ordinal())) {
        found = u;
      }
    }
    return Optional.ofNullable(found);
  }

  /** {@code t}, its causes and their suppressed exceptions, each once. */
  private static Set<Throwable> chain(Throwable t) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> todo = new ArrayDeque<>();
    todo.add(t);
    while (!todo.isEmpty()) {
      Throwable next = todo.poll();
      if (seen.add(next)) {
        if (next.getCause() != null) {
          todo.add(next.getCause());
        }
        todo.addAll(java.util.List.of(next.getSuppressed()));
      }
    }
    return seen;
  }

  /**
   * Ways of not reaching AWS, the most telling first (a connection that timed out says more than
   * the call's timeout that followed it). {@link #network()} ones mean this machine's network, not
   * one endpoint: every later call is refused at once ({@link AwsCallLog}).
   */
  enum Unreached {
    NO_NAME(true),
    NO_ROUTE(true),
    NO_CONNECTION(true),
    REFUSED(false),
    NO_REPLY(false),
    BROKEN(false),
    NOT_TRIED(false);

    private final boolean network;

    Unreached(boolean network) {
      this.network = network;
    }

    boolean network() {
      return network;
    }
  }

  /** A call not made, because its endpoint (or the network) did not answer an earlier one. */
  static final class NotTried extends SdkClientException {
    private final transient FailedCall earlier;

    NotTried(FailedCall earlier) {
      super(
          SdkClientException.builder()
              .message("not tried: " + earlier.where() + " did not answer " + earlier.action()));
      this.earlier = earlier;
    }

    /** The call that did not get an answer: what on-call is told about. */
    FailedCall earlier() {
      return earlier;
    }
  }
}
