package dev.liffey.cli;

import dev.liffey.autoscaler.ops.aws.OnCallAws.Waits;
import dev.liffey.core.config.EdgeConfig;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;

/**
 * An AWS failure in on-call's words: one line, the cause then the next step, and its exit code (3
 * when AWS could not be reached or is failing, 1 otherwise). The SDK's exception chain is for
 * {@code -v}.
 */
final class AwsErrors {
  /** What to print after {@code liffey: }, and the exit code. */
  record Failure(String message, int exitCode) {}

  private static final Set<String> CREDENTIALS_REFUSED =
      Set.of(
          "ExpiredToken",
          "ExpiredTokenException",
          "InvalidClientTokenId",
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "AuthFailure",
          "RequestExpired",
          "MissingAuthenticationToken",
          "IncompleteSignature",
          "InvalidAccessKeyId");
  private static final Set<String> ACCESS_DENIED =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnauthorizedOperation",
          "UnauthorizedException",
          "Forbidden");
  private static final Set<String> THROTTLED =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "TooManyRequestsException",
          "RequestLimitExceeded",
          "RequestThrottled",
          "RequestThrottledException",
          "ProvisionedThroughputExceededException",
          "PriorRequestNotComplete",
          "SlowDown");

  private final AwsCallLog calls;
  private final Optional<URI> override;
  private final Optional<EdgeConfig> config;
  private final Waits timeouts;

  /**
   * @param override {@code AWS_ENDPOINT_URL}, when set: what to check first when nothing answers
   * @param config names the control table and the hosted zone, when it was loaded
   */
  AwsErrors(AwsCallLog calls, Optional<URI> override, Optional<EdgeConfig> config, Waits timeouts) {
    this.calls = calls;
    this.override = override;
    this.config = config;
    this.timeouts = timeouts;
  }

  Failure describe(SdkException error) {
    if (error instanceof FailedCall.NotTried n
        && n.earlier().error() instanceof SdkException first) {
      return describe(
          first); // on-call is told what did not answer, not that a call was spared the wait
    }
    Optional<FailedCall> call = calls.of(error);
    String action = call.map(FailedCall::action).orElse("the AWS call");
    var unreached = FailedCall.unreachable(error);
    if (unreached.isPresent()) {
      if (call.isPresent() && !call.get().sent()) {
        return new Failure(
            "AWS credentials did not load within "
                + seconds(timeouts.call())
                + ": set AWS_PROFILE"
                + " (after aws sso login) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            LiffeyCli.EXIT_FAILURE);
      }
      String at =
          call.map(FailedCall::where)
              .or(() -> override.map(FailedCall::describe))
              .map(w -> " at " + w)
              .orElse("");
      String check =
          override
              .map(u -> "check that AWS_ENDPOINT_URL (" + FailedCall.describe(u) + ") is up")
              .orElse("check the network or VPN, then try again");
      String why =
          switch (unreached.get()) {
            case NO_NAME -> null;
            case NO_ROUTE -> "no route to it";
            case NO_CONNECTION ->
                "no connection within "
                    + seconds(timeouts.connect())
                    + ", "
                    + timeouts.maxAttempts()
                    + " tries";
            case REFUSED -> "connection refused";
            case NO_REPLY -> "no reply within " + seconds(timeouts.call());
            case BROKEN ->
                "the connection failed (" + firstLine(rootCause(error).getMessage()) + ")";
            case NOT_TRIED -> "not tried";
          };
      if (why == null) {
        String host =
            call.flatMap(FailedCall::endpoint)
                .or(() -> override)
                .map(URI::getHost)
                .orElse("the AWS endpoint");
        return new Failure(
            "cannot resolve "
                + host
                + ": check DNS and the network"
                + override.map(u -> ", or AWS_ENDPOINT_URL").orElse(""),
            LiffeyCli.EXIT_UNREACHABLE);
      }
      return new Failure(
          "cannot reach AWS" + at + ": " + why + ": " + check, LiffeyCli.EXIT_UNREACHABLE);
    }
    if (error instanceof AwsServiceException aws) {
      return service(aws, call, action);
    }
    String message = firstLine(error.getMessage());
    if (message.startsWith("Unable to load credentials")) {
      return new Failure(
          error.getMessage().contains("aws sso login")
              ? "the AWS SSO session has expired: run aws sso login, then try again"
              : "no AWS credentials: set AWS_PROFILE (after aws sso login) or AWS_ACCESS_KEY_ID and"
                  + " AWS_SECRET_ACCESS_KEY",
          LiffeyCli.EXIT_FAILURE);
    }
    return new Failure(
        action + " failed: " + message + " (-v for details)", LiffeyCli.EXIT_FAILURE);
  }

  private Failure service(AwsServiceException aws, Optional<FailedCall> call, String action) {
    String code =
        aws.awsErrorDetails() == null ? "" : String.valueOf(aws.awsErrorDetails().errorCode());
    int status = aws.statusCode();
    if (aws instanceof ResourceNotFoundException) {
      String region =
          call.map(FailedCall::region).or(() -> config.map(EdgeConfig::primaryRegion)).orElse("?");
      return new Failure(
          "control table "
              + config.map(c -> c.control().tableName()).orElse("(control.tableName)")
              + " not found in "
              + region
              + ": deploy the control stack (cdk-app), or run liffey-autoscaler"
              + " --create-control-table",
          LiffeyCli.EXIT_FAILURE);
    }
    if (aws instanceof NoSuchHostedZoneException) {
      return new Failure(
          "hosted zone "
              + config.map(c -> c.routing().hostedZoneId()).orElse("(routing.hostedZoneId)")
              + " not found: deploy "
              + config.map(EdgeConfig::stackPrefix).orElse("Liffey")
              + "-Routing, or fix"
              + " routing.hostedZoneId in edge-regions.yaml",
          LiffeyCli.EXIT_FAILURE);
    }
    if (CREDENTIALS_REFUSED.contains(code)) {
      return new Failure(
          "AWS refused the credentials ("
              + code
              + "): refresh them (aws sso login) or set another"
              + " AWS_PROFILE",
          LiffeyCli.EXIT_FAILURE);
    }
    if (ACCESS_DENIED.contains(code) || status == 403) {
      return new Failure(
          "access denied to "
              + action
              + ": use an AWS_PROFILE whose role may, or have "
              + action
              + " granted to yours",
          LiffeyCli.EXIT_FAILURE);
    }
    if (THROTTLED.contains(code) || status == 429) {
      return new Failure(
          "AWS throttled "
              + action
              + " ("
              + code
              + "), "
              + timeouts.maxAttempts()
              + " attempts: try"
              + " again in a minute",
          LiffeyCli.EXIT_FAILURE);
    }
    if (status >= 500) {
      return new Failure(
          "AWS failed "
              + action
              + " at "
              + call.map(FailedCall::where).orElse("AWS")
              + " (HTTP "
              + status
              + (code.isEmpty() ? "" : " " + code)
              + "), "
              + timeouts.maxAttempts()
              + " attempts: try again, or see"
              + " https://health.aws.amazon.com",
          LiffeyCli.EXIT_UNREACHABLE);
    }
    String message =
        aws.awsErrorDetails() == null
            ? firstLine(aws.getMessage())
            : firstLine(aws.awsErrorDetails().errorMessage());
    return new Failure(
        action + " failed: " + code + ": " + message + " (-v for details)", LiffeyCli.EXIT_FAILURE);
  }

  private static String seconds(java.time.Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * The message's first line, spaces collapsed, at most 160 characters: never the SDK's paragraph.
   */
  private static String firstLine(String message) {
    String line =
        message == null
            ? ""
            : message.strip().lines().findFirst().orElse("").replaceAll("\\s+", " ");
    return line.length() <= 160 ? line : line.substring(0, 157) + "...";
  }
}
