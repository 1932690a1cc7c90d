package dev.liffey.it.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.aws.CloudWatchMetricsSource;
import dev.liffey.autoscaler.aws.Route53RoutingActuator;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.ControlLoop;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.k8s.NoKubernetes;
import dev.liffey.it.emulator.EmulatedEdge;
import dev.liffey.it.emulator.EmulatorTest;
import dev.liffey.it.emulator.FaultProxy;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EC2 has no L4 capacity in Dublin: the proxy plays EC2's part (the L4 group's instances never
 * arrive, and its last scaling activity failed with InsufficientInstanceCapacity).
 */
class GpuShortageIT extends EmulatorTest {
  @TempDir Path dir;

  /** One tick with 35 streams in Dublin while EC2 reports no L4 capacity in {@code zones}. */
  private Decision tickWithL4sShortIn(EmulatedEdge edge, String... zones) throws Exception {
    edge.gpuGroup("eu-west-1", "g6.2xlarge", 4, 3);
    edge.gpuGroup("eu-west-1", "g5.2xlarge", 0, 1);
    DynamoDbControlStore.of(edge.config, aws).createTableIfMissing();
    String l4 = EmulatedEdge.gpuGroupName("eu-west-1", "g6.2xlarge");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    FaultProxy.Rewrite ec2HasNoL4s =
        (request, response) -> {
          if (request.contains("Action=DescribeAutoScalingGroups")) {
            int at = response.indexOf("<AutoScalingGroupName>" + l4 + "</AutoScalingGroupName>");
            int from = response.indexOf("<Instances>", at);
            int to = response.indexOf("</Instances>", from);
            return at < 0 || from < 0
                ? response
                : response.substring(0, from)
                    + "<Instances/>"
                    + response.substring(to + "</Instances>".length());
          }
          if (request.contains("Action=DescribeScalingActivities") && request.contains(l4)) {
            StringBuilder activities = new StringBuilder();
            for (String zone : zones) {
              activities
                  .append("<member><ActivityId>a-")
                  .append(zone)
                  .append("</ActivityId><AutoScalingGroupName>")
                  .append(l4)
                  .append("</AutoScalingGroupName><StatusCode>Failed</StatusCode>")
                  .append(
                      "<StatusMessage>We currently do not have sufficient g6.2xlarge capacity in the Availability")
                  .append(" Zone you requested (")
                  .append(zone)
                  .append("). Launching EC2 instance failed.")
                  .append(" InsufficientInstanceCapacity</StatusMessage><StartTime>")
                  .append(now.minusSeconds(60))
                  .append(
                      "</StartTime><Cause>desired 1 to 4</Cause><Progress>100</Progress></member>");
            }
            return "<DescribeScalingActivitiesResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
                + "<DescribeScalingActivitiesResult><Activities>"
                + activities
                + "</Activities>"
                + "</DescribeScalingActivitiesResult><ResponseMetadata><RequestId>r1</RequestId>"
                + "</ResponseMetadata></DescribeScalingActivitiesResponse>";
          }
          return response;
        };
    try (FaultProxy ec2 = new FaultProxy(emulator.endpoint(), (n, auth) -> 0, ec2HasNoL4s);
        AwsClients through = new AwsClients(Optional.of(ec2.endpoint()))) {
      ControlLoop loop =
          new ControlLoop(
              new LiffeyPolicy(edge.config),
              new CloudWatchMetricsSource(edge.config, aws::cloudWatch, () -> now),
              new AutoScalingFleetActuator(edge.config, through::autoScaling, () -> now),
              new NoKubernetes(),
              new Route53RoutingActuator(edge.config.routing(), aws.route53()),
              DynamoDbControlStore.of(edge.config, aws),
              () -> now,
              false);
      edge.publish(
          now.minusSeconds(5),
          Map.of("IE@eu-west-1", 2_000.0),
          Map.of(),
          Map.of("eu-west-1", 35.0));
      return loop.tick();
    }
  }

  @Test
  void whenEc2HasNoL4sInAnyOfTheGroupsZones_theStreamsGoToTheA10gGroup() throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);

    Decision d = tickWithL4sShortIn(edge, "eu-west-1a", "eu-west-1b", "eu-west-1c");

    // 35 streams on A10Gs of 6 ladder slots each, every slot filled: 6.
    assertThat(edge.desired("eu-west-1", EmulatedEdge.gpuGroupName("eu-west-1", "g5.2xlarge")))
        .isEqualTo(6);
    assertThat(d.reasons())
        .anyMatch(
            r ->
                r.startsWith("scale out transcode g5.2xlarge eu-west-1 0→6")
                    && r.contains("EC2 capacity shortage of g6.2xlarge: next type instead"));
  }

  @Test
  void whenOnlyOneZoneHasNoL4s_theGroupLaunchesInTheOthers_andNothingFallsBack() throws Exception {
    EmulatedEdge edge = EmulatedEdge.deploy(aws, emulator.endpoint(), dir);

    Decision d = tickWithL4sShortIn(edge, "eu-west-1a");

    assertThat(edge.desired("eu-west-1", EmulatedEdge.gpuGroupName("eu-west-1", "g5.2xlarge")))
        .isZero();
    assertThat(d.reasons()).noneMatch(r -> r.contains("EC2 capacity shortage"));
  }
}
