package dev.liffey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.ops.aws.OnCallAws;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What on-call reads when AWS fails: one line with the cause and the next step, and the exit code,
 * for the commands run in-process against stand-ins for AWS on 127.0.0.1 ({@link FakeAws}). How
 * long an unreachable AWS takes is measured (README, On-call), not asserted here.
 */
@Timeout(30)
class AwsErrorsTest {
  private static final String CONFIG = Path.of("..", "edge-regions.yaml").toString();
  private static final Map<String, String> JSON =
      Map.of("Content-Type", "application/x-amz-json-1.0");
  private final CliRun cli = new CliRun();
  private final FakeAws aws = new FakeAws();

  @AfterEach
  void stopFakes() throws Exception {
    aws.close();
  }

  private static String fix(URI endpoint) {
    return ": check that AWS_ENDPOINT_URL (" + endpoint + ") is up\n";
  }

  @Test
  void aClosedPortIsExitThree_namingTheEndpoint() throws Exception {
    URI endpoint = aws.closed();

    assertThat(cli.run("history", "--config", CONFIG)).isEqualTo(3);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: cannot reach AWS at " + endpoint + ": connection refused" + fix(endpoint));
  }

  @Test
  void anEndpointThatAcceptsAndNeverRepliesIsExitThree_afterOneCallsTimeout() throws Exception {
    URI endpoint = aws.silent();

    assertThat(cli.run("history", "--config", CONFIG)).isEqualTo(3);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: cannot reach AWS at " + endpoint + ": no reply within 1.2 s" + fix(endpoint));
  }

  @Test
  void anEndpointWhoseSynsAreDroppedIsExitThree_sayingNoConnection() throws Exception {
    URI endpoint = aws.droppingSyns();

    assertThat(cli.run("history", "--config", CONFIG)).isEqualTo(3);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: cannot reach AWS at "
                + endpoint
                + ": no connection within"
                + " 0.4 s, 2 tries"
                + fix(endpoint));
  }

  @Test
  void scaleWithAwsUnreachableIsExitThree_notAMissingGroup() throws Exception {
    URI endpoint = aws.closed();

    assertThat(
            cli.run(
                "scale",
                "--config",
                CONFIG,
                "--region",
                "eu-west-2",
                "--fleet",
                "relay",
                "--capacity",
                "9",
                "--reason",
                "x",
                "--yes"))
        .isEqualTo(3);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: cannot reach AWS at " + endpoint + ": connection refused" + fix(endpoint));
  }

  @Test
  void statusWithNothingReachableSaysSoOnce_inUnderOneTimeoutPerEndpoint() throws Exception {
    URI endpoint = aws.silent();

    assertThat(cli.run("status", "--config", CONFIG)).as(cli.err.toString()).isEqualTo(3);
    assertThat(cli.out.toString()).isEmpty();
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: cannot reach AWS at " + endpoint + ": no reply within 1.2 s" + fix(endpoint));
  }

  @Test
  void anUnknownHostIsExitThree_namingTheHost() throws Exception {
    System.setProperty("aws.endpointUrl", "http://liffey-no-such-host.invalid:4566");

    assertThat(cli.run("history", "--config", CONFIG)).isEqualTo(3);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: cannot resolve liffey-no-such-host.invalid: check DNS and the"
                + " network, or AWS_ENDPOINT_URL\n");
  }

  @Test
  void aMissingControlTableNamesTheTableAndHowToMakeIt() throws Exception {
    aws.answering(
        400,
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
            + "\"message\":\"Requested resource not found\"}",
        JSON);

    assertThat(cli.run("history", "--config", CONFIG)).isEqualTo(1);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: control table liffey-control not found in eu-west-1: deploy the"
                + " control stack (cdk-app), or run liffey-autoscaler --create-control-table\n");
  }

  @Test
  void anUnknownHostedZoneNamesTheZoneAndTheStackThatMakesIt() throws Exception {
    aws.answering(
        404,
        "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
            + "<Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID:"
            + " Z04LIFFEYEXAMPLE00001</Message></Error><RequestId>r</RequestId></ErrorResponse>",
        Map.of("Content-Type", "text/xml"));

    assertThat(cli.run("route", "show", "--config", CONFIG)).isEqualTo(1);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: hosted zone Z04LIFFEYEXAMPLE00001 not found: deploy"
                + " Liffey-Routing, or fix routing.hostedZoneId in edge-regions.yaml\n");
  }

  @Test
  void accessDeniedNamesTheAction_andTheStackTraceStaysBehindVerbose() throws Exception {
    aws.answering(
        400,
        "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":\"User:"
            + " arn:aws:sts::123456789012:assumed-role/ReadOnly/aoife is not authorized to perform: dynamodb:Query\"}",
        JSON);

    assertThat(cli.run("history", "--config", CONFIG)).isEqualTo(1);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: access denied to dynamodb:Query: use an AWS_PROFILE whose role"
                + " may, or have dynamodb:Query granted to yours\n");

    assertThat(cli.run("history", "--config", CONFIG, "-v")).isEqualTo(1);
    assertThat(cli.err.toString())
        .contains(
            "DynamoDbException: User: arn:aws:sts::123456789012:assumed-role/ReadOnly/aoife"
                + " is not authorized to perform: dynamodb:Query")
        .contains("\tat ")
        .endsWith(
            "liffey: access denied to dynamodb:Query: use an AWS_PROFILE whose role may, or have dynamodb:Query"
                + " granted to yours\n");
  }

  @Test
  void expiredCredentialsSayHowToRefreshThem() throws Exception {
    aws.answering(
        400,
        "{\"__type\":\"com.amazon.coral.service#ExpiredTokenException\","
            + "\"message\":\"The security token included in the request is expired\"}",
        JSON);

    assertThat(cli.run("history", "--config", CONFIG)).isEqualTo(1);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: AWS refused the credentials (ExpiredTokenException): refresh them"
                + " (aws sso login) or set another AWS_PROFILE\n");
  }

  @Test
  void aServerErrorAfterEveryAttemptIsExitThree_pointingAtAwsHealth() throws Exception {
    URI endpoint =
        aws.answering(
            500,
            "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                + "\"message\":\"Internal server error\"}",
            JSON);

    assertThat(cli.run("history", "--config", CONFIG)).isEqualTo(3);
    assertThat(cli.err.toString())
        .isEqualTo(
            "liffey: AWS failed dynamodb:Query at "
                + endpoint
                + " (HTTP 500"
                + " InternalServerError), 2 attempts: try again, or see https://health.aws.amazon.com\n");
  }

  @Test
  void noCredentialsSaysWhichVariablesToSet() {
    var errors =
        new AwsErrors(new AwsCallLog(), Optional.empty(), Optional.empty(), OnCallAws.WAITS);

    assertThat(
            errors.describe(
                SdkClientException.create(
                    "Unable to load credentials from any of the providers in the"
                        + " chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
                        + " EnvironmentVariableCredentialsProvider(), ...]) : [SystemPropertyCredentialsProvider(): Unable to load"
                        + " credentials from system settings. Access key must be specified either via environment variable"
                        + " (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId)., ...]")))
        .isEqualTo(
            new AwsErrors.Failure(
                "no AWS credentials: set AWS_PROFILE (after aws sso login) or"
                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                1));
  }
}
