package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.aws.CloudWatchRelayViewers;
import dev.liffey.autoscaler.aws.EdgeMetrics;
import dev.liffey.autoscaler.aws.RelayViewers;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.it.emulator.EdgeData;
import dev.liffey.it.emulator.EmulatorTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.WarmPoolState;
import software.amazon.awssdk.services.ec2.Ec2Client;

class AutoScalingFleetActuatorIT extends EmulatorTest {
  private final List<String> calls = new ArrayList<>();

  /** An Auto Scaling client that records each operation it calls. */
  private AutoScalingClient counting(String region) {
    return AutoScalingClient.builder()
        .region(Region.of(region))
        .endpointOverride(emulator.endpoint())
        .overrideConfiguration(
            o ->
                o.addExecutionInterceptor(
                    new ExecutionInterceptor() {
                      @Override
                      public void beforeExecution(
                          Context.BeforeExecution context, ExecutionAttributes attributes) {
                        calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                      }
                    }))
        .build();
  }

  private void group(String region, String name, int desired, Map<String, String> tags) {
    try (Ec2Client ec2 =
        Ec2Client.builder()
            .region(Region.of(region))
            .endpointOverride(emulator.endpoint())
            .build()) {
      ec2.createLaunchTemplate(
          b ->
              b.launchTemplateName(name + "-lt")
                  .launchTemplateData(
                      d ->
                          d.imageId("ami-12c6146b")
                              .instanceType("c6in.2xlarge")
                              .metadataOptions(m -> m.httpTokens("required"))));
    }
    aws.autoScaling(region)
        .createAutoScalingGroup(
            b ->
                b.autoScalingGroupName(name)
                    .launchTemplate(t -> t.launchTemplateName(name + "-lt").version("$Latest"))
                    .minSize(1)
                    .maxSize(120)
                    .desiredCapacity(desired)
                    .availabilityZones(region + "a", region + "b", region + "c")
                    .tags(
                        tags.entrySet().stream()
                            .map(
                                e ->
                                    Tag.builder()
                                        .key(e.getKey())
                                        .value(e.getValue())
                                        .resourceId(name)
                                        .resourceType("auto-scaling-group")
                                        .propagateAtLaunch(true)
                                        .build())
                            .toList()));
  }

  @Test
  void findsGroupsByTagNotName_readsCapacity_andCallsOnlyOnChange() {
    group(
        "eu-west-1",
        "Liffey-eu-west-1-Relay-RelaysGroupASG-X1",
        4,
        Map.of("liffey:managed", "true", "liffey:region", "eu-west-1", "liffey:fleet", "relay"));
    group(
        "eu-west-1",
        "Liffey-eu-west-1-Transcode-G62xlargeGroup-Y2",
        1,
        Map.of(
            "liffey:managed",
            "true",
            "liffey:region",
            "eu-west-1",
            "liffey:fleet",
            "transcode",
            "liffey:instance-type",
            "g6.2xlarge"));
    group(
        "eu-west-1",
        "someone-elses-relays",
        2,
        Map.of("liffey:region", "eu-west-1", "liffey:fleet", "relay"));
    aws.autoScaling("eu-west-1")
        .putWarmPool(
            b -> b.autoScalingGroupName("Liffey-eu-west-1-Relay-RelaysGroupASG-X1").minSize(10));
    AutoScalingFleetActuator actuator = new AutoScalingFleetActuator(config, this::counting);

    List<FleetState> fleets = actuator.fleets();

    assertThat(fleets)
        .extracting(FleetState::id)
        .containsExactlyInAnyOrder(
            FleetId.relay("eu-west-1"), FleetId.transcode("eu-west-1", "g6.2xlarge"));
    FleetState relays =
        fleets.stream()
            .filter(f -> f.id().equals(FleetId.relay("eu-west-1")))
            .findFirst()
            .orElseThrow();
    assertThat(relays.desired()).isEqualTo(4);
    assertThat(relays.inService() + relays.pending()).isEqualTo(4);
    assertThat(relays.warmPoolSize()).isEqualTo(10);

    calls.clear();
    actuator.setCapacity(FleetId.relay("eu-west-1"), 9, 14);
    actuator.setCapacity(FleetId.relay("eu-west-1"), 9, 14);

    assertThat(calls).containsExactly("SetDesiredCapacity", "PutWarmPool");
    var group =
        aws.autoScaling("eu-west-1")
            .describeAutoScalingGroups(
                b -> b.autoScalingGroupNames("Liffey-eu-west-1-Relay-RelaysGroupASG-X1"))
            .autoScalingGroups()
            .get(0);
    assertThat(group.desiredCapacity()).isEqualTo(9);
    var pool =
        aws.autoScaling("eu-west-1")
            .describeWarmPool(b -> b.autoScalingGroupName(group.autoScalingGroupName()))
            .warmPoolConfiguration();
    // PutWarmPool replaces the configuration: what the CDK app set must survive it.
    assertThat(pool.minSize()).isEqualTo(14);
    assertThat(pool.maxGroupPreparedCapacity()).isEqualTo(9 + 14);
    assertThat(pool.poolState()).isEqualTo(WarmPoolState.STOPPED);
    assertThat(pool.instanceReusePolicy().reuseOnScaleIn()).isTrue();

    // A scale-in makes room in the pool before it takes instances out, so they stop into it.
    calls.clear();
    actuator.setCapacity(FleetId.relay("eu-west-1"), 5, 18);
    assertThat(calls).containsExactly("PutWarmPool", "SetDesiredCapacity");
    assertThat(
            aws.autoScaling("eu-west-1")
                .describeWarmPool(b -> b.autoScalingGroupName(group.autoScalingGroupName()))
                .warmPoolConfiguration()
                .maxGroupPreparedCapacity())
        .isEqualTo(5 + 18);
    assertThat(
            aws.autoScaling("eu-west-1")
                .describeAutoScalingGroups(b -> b.autoScalingGroupNames("someone-elses-relays"))
                .autoScalingGroups()
                .get(0)
                .desiredCapacity())
        .isEqualTo(2);
  }

  private static final Map<String, String> DUBLIN_RELAYS =
      Map.of("liffey:managed", "true", "liffey:region", "eu-west-1", "liffey:fleet", "relay");

  private List<String> relayInstances(String name) {
    return aws
        .autoScaling("eu-west-1")
        .describeAutoScalingGroups(b -> b.autoScalingGroupNames(name))
        .autoScalingGroups()
        .get(0)
        .instances()
        .stream()
        .map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId)
        .sorted()
        .toList();
  }

  /** What each relay's agent publishes about itself: its viewers, with its InstanceId. */
  private void relayReports(String instance, double viewers) {
    EdgeData.put(
        aws.cloudWatch("eu-west-1"),
        EdgeData.datum(
                EdgeMetrics.CONCURRENT_VIEWERS,
                java.time.Instant.now().minusSeconds(15),
                EdgeMetrics.REGION,
                "eu-west-1",
                EdgeMetrics.INSTANCE_ID,
                instance)
            .value(viewers)
            .build());
  }

  private AutoScalingFleetActuator withRelayViewers() {
    return withRelayViewers(new CloudWatchRelayViewers(aws::cloudWatch, java.time.Instant::now));
  }

  private AutoScalingFleetActuator withRelayViewers(RelayViewers viewers) {
    return new AutoScalingFleetActuator(
        config,
        this::counting,
        java.time.Instant::now,
        Runnable::run,
        java.util.Optional.of(viewers));
  }

  @Test
  void aRelayScaleInRemovesTheEmptiestRelays_neverOneWithViewersWhileAnEmptierStays_andSaysWhich() {
    String name = "Liffey-eu-west-1-Relay-RelaysGroupASG-E1";
    group("eu-west-1", name, 5, DUBLIN_RELAYS);
    List<String> relays = relayInstances(name);
    double[] viewers = {1_200, 0, 45, 900, 300};
    for (int i = 0; i < relays.size(); i++) {
      relayReports(relays.get(i), viewers[i]);
    }
    AutoScalingFleetActuator actuator = withRelayViewers();
    actuator.fleets();
    calls.clear();

    java.util.Optional<String> note = actuator.setCapacity(FleetId.relay("eu-west-1"), 3, 0);

    assertThat(relayInstances(name))
        .containsExactlyInAnyOrder(relays.get(0), relays.get(3), relays.get(4));
    assertThat(calls)
        .containsExactly(
            "TerminateInstanceInAutoScalingGroup",
            "TerminateInstanceInAutoScalingGroup",
            "PutWarmPool");
    assertThat(
            aws.autoScaling("eu-west-1")
                .describeAutoScalingGroups(b -> b.autoScalingGroupNames(name))
                .autoScalingGroups()
                .get(0)
                .desiredCapacity())
        .isEqualTo(3);
    assertThat(note)
        .hasValue(
            "relay eu-west-1: removed the emptiest relays: "
                + relays.get(1)
                + " (0 viewers), "
                + relays.get(2)
                + " (45 viewers)");
  }

  /** What EC2 measured one relay sending in the last whole minute, put where EC2 would. */
  private void relaySent(String instance, double viewers) {
    aws.cloudWatch("eu-west-1")
        .putMetricData(
            b ->
                b.namespace(EdgeMetrics.EC2_NAMESPACE)
                    .metricData(
                        EdgeData.datum(
                                EdgeMetrics.NETWORK_OUT,
                                java.time.Instant.now()
                                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                                    .minusSeconds(60),
                                EdgeMetrics.INSTANCE_ID,
                                instance)
                            .storageResolution(60)
                            .value(viewers * 2.5e6 / 8 * 60)
                            .unit(
                                software.amazon.awssdk.services.cloudwatch.model.StandardUnit.BYTES)
                            .build()));
  }

  @Test
  void aRelayWhoseAgentIsSilent_isCountedByWhatItSent_andGoesFirstWhenItSentNothing() {
    // Three relays: one agent reports 10 viewers; two are silent, one of them sending nothing and
    // the other 500 viewers' worth at 2.5 Mbit/s. Two go: the one sending nothing and the one
    // with 10; the silent one with viewers stays.
    String name = "Liffey-eu-west-1-Relay-RelaysGroupASG-E3";
    group("eu-west-1", name, 3, DUBLIN_RELAYS);
    List<String> relays = relayInstances(name);
    relayReports(relays.get(0), 10);
    relaySent(relays.get(1), 0);
    relaySent(relays.get(2), 500);
    AutoScalingFleetActuator actuator =
        withRelayViewers(new CloudWatchRelayViewers(aws::cloudWatch, java.time.Instant::now, 2.5));
    actuator.fleets();

    java.util.Optional<String> note = actuator.setCapacity(FleetId.relay("eu-west-1"), 1, 0);

    assertThat(relayInstances(name)).containsExactly(relays.get(2));
    assertThat(note.orElseThrow())
        .isEqualTo(
            "relay eu-west-1: removed the emptiest relays: "
                + relays.get(1)
                + " (0 viewers), "
                + relays.get(0)
                + " (10 viewers)");
  }

  @Test
  void aRelayWhoseViewersAreUnknownIsKept_andWithNoCountsReadableNothingIsRemoved() {
    String name = "Liffey-eu-west-1-Relay-RelaysGroupASG-E2";
    group("eu-west-1", name, 3, DUBLIN_RELAYS);
    List<String> relays = relayInstances(name);
    relayReports(relays.get(0), 10); // the other two relays' agents have not reported
    AutoScalingFleetActuator actuator = withRelayViewers();
    actuator.fleets();

    java.util.Optional<String> note = actuator.setCapacity(FleetId.relay("eu-west-1"), 1, 0);

    assertThat(relayInstances(name)).containsExactlyInAnyOrder(relays.get(1), relays.get(2));
    assertThat(note.orElseThrow())
        .isEqualTo(
            "relay eu-west-1: removed the emptiest relays: "
                + relays.get(0)
                + " (10 viewers); kept 1 more: 2 relays have no recent viewer count");

    AutoScalingFleetActuator blind =
        withRelayViewers(
            (region, ids) -> {
              throw new IllegalStateException("CloudWatch: Service Unavailable");
            });
    blind.fleets();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> blind.setCapacity(FleetId.relay("eu-west-1"), 1, 0))
        .hasMessageContaining("Service Unavailable");
    assertThat(relayInstances(name)).hasSize(2);
  }
}
