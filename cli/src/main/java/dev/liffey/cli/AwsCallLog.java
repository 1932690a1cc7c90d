package dev.liffey.cli;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sees every AWS call the CLI makes. Keeps the calls that failed, with where they went, so that an
 * error names its endpoint and a read the adapters leave out (a region's groups or metrics) is
 * named too. Makes an unreachable AWS cost a person one timeout, not one per call: after an
 * endpoint did not answer, calls to it fail at once, and after the network itself failed (no name,
 * no route, no connection), every call does. Thread-safe.
 */
final class AwsCallLog implements ExecutionInterceptor {
  private static final ExecutionAttribute<Boolean> SENT = new ExecutionAttribute<>("liffey.sent");

  private final List<FailedCall> failed = new CopyOnWriteArrayList<>();
  private final Map<URI, FailedCall> silent = new ConcurrentHashMap<>();
  private volatile Optional<FailedCall> networkDown = Optional.empty();

  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    URI endpoint = endpoint(context.httpRequest());
    Optional<FailedCall> earlier = networkDown.or(() -> Optional.ofNullable(silent.get(endpoint)));
    if (earlier.isPresent()) {
      FailedCall skipped =
          call(attributes, Optional.of(endpoint), false, new FailedCall.NotTried(earlier.get()));
      failed.add(skipped);
      throw (FailedCall.NotTried) skipped.error();
    }
    return context.httpRequest();
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attributes.putAttribute(SENT, true);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    FailedCall call =
        call(
            attributes,
            context.httpRequest().map(AwsCallLog::endpoint),
            Boolean.TRUE.equals(attributes.getAttribute(SENT)),
            context.exception());
    failed.add(call);
    // A call that timed out before sending anything was waiting for credentials, not for the
    // network.
    call.unreachable()
        .filter(u -> call.sent())
        .ifPresent(
            u -> {
              call.endpoint().ifPresent(e -> silent.putIfAbsent(e, call));
              if (u.network()) {
                networkDown = Optional.of(call);
              }
            });
  }

  /** The failed calls of one service ({@code AutoScaling}, {@code CloudWatch}...), oldest first. */
  List<FailedCall> failed(String service) {
    return failed.stream().filter(f -> f.service().equals(service)).toList();
  }

  /** Every failed call, oldest first. */
  List<FailedCall> failed() {
    return List.copyOf(failed);
  }

  /** The call that threw {@code error}, or one of its causes. */
  Optional<FailedCall> of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      for (FailedCall f : failed) {
        if (f.error() == t) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  /** Forgets every failure: a new round of reads (status --watch) tries every endpoint again. */
  void forget() {
    failed.clear();
    silent.clear();
    networkDown = Optional.empty();
  }

  private static FailedCall call(
      ExecutionAttributes a, Optional<URI> endpoint, boolean sent, Throwable error) {
    var region = a.getAttribute(AwsExecutionAttribute.AWS_REGION);
    return new FailedCall(
        String.valueOf(a.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
        region == null ? "?" : region.id(),
        String.valueOf(a.getAttribute(SdkExecutionAttribute.OPERATION_NAME)),
        endpoint,
        sent,
        error);
  }

  private static URI endpoint(SdkHttpRequest r) {
    return URI.create(r.protocol() + "://" + r.host() + ":" + r.port());
  }
}
