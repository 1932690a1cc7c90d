package dev.liffey.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.aws.AutoScalingFleetActuator;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetState;
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
}
