package dev.liffey.edge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.media.Ladder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/** What one transcoder puts in CloudWatch each period, for the autoscaler to sum. */
class StreamPublisherTest {
  private static final Instant PERIOD = Instant.parse("2026-12-01T20:00:00Z");

  private static Map<String, Double> data(StreamPublisher p) {
    return p.data(PERIOD).stream()
        .collect(
            Collectors.toMap(
                d ->
                    d.metricName()
                        + d.dimensions().stream()
                            .map(Dimension::value)
                            .collect(Collectors.joining(",", "{", "}")),
                MetricDatum::value));
  }

  @Test
  void liveStreamsCountWhatItCarriesAndWhatItRefusedForWantOfASlot_andSlotsUsedTheirLadders() {
    List<Set<String>> refusals = new ArrayList<>(List.of(Set.of("match-9"), Set.of()));
    double used = 8 + 3 * Ladder.FROM_720.slotShare(); // 8 full ladders, 3 shortened
    StreamPublisher p =
        new StreamPublisher(
            null,
            "eu-west-1",
            "g6.2xlarge",
            () -> 11,
            () -> refusals.isEmpty() ? Set.of() : refusals.remove(0),
            () -> used,
            Duration.ofSeconds(10));

    Map<String, Double> first = data(p);
    assertThat(first.get("LiveStreams{eu-west-1}")).isEqualTo(12); // 11 here, 1 turned away
    assertThat(first.get("TranscoderSlotsUsed{eu-west-1,g6.2xlarge}"))
        .isCloseTo(9.29, org.assertj.core.data.Offset.offset(0.01));
    assertThat(data(p).get("LiveStreams{eu-west-1}")).as("the refusal counted once").isEqualTo(11);
    assertThat(p.data(PERIOD))
        .allSatisfy(
            d -> {
              assertThat(d.timestamp()).isEqualTo(PERIOD);
              assertThat(d.storageResolution()).isEqualTo(1);
            });
  }
}
