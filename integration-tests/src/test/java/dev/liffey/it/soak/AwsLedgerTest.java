package dev.liffey.it.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwsLedgerTest {
  @Test
  void aWarmPoolWriteIsCoveredByTheAuditedDesiredCount_thePoolItCarries_orAnUnmovedPool() {
    String write = "relay eu-west-1 (warm pool 10, prepared 18)";

    assertThat(AwsLedger.covers("relay eu-west-1=8 (warm pool 10)", write)).isTrue();
    assertThat(AwsLedger.covers("relay eu-west-1=8, relay eu-west-2=4", write))
        .as("a scale-in that leaves the pool's size rewrites its prepared capacity")
        .isTrue();
    assertThat(AwsLedger.covers("relay eu-west-1=9", write)).as("another desired count").isFalse();
    assertThat(AwsLedger.covers("relay eu-west-1=7 (warm pool 10)", write))
        .as("the pool audited, written for the relays a scale-in kept")
        .isTrue();
    assertThat(AwsLedger.covers("relay eu-west-1=80", write)).isFalse();
    assertThat(AwsLedger.covers("relay eu-west-1=8 (warm pool 12)", write))
        .as("another pool")
        .isFalse();
    assertThat(AwsLedger.covers("relay eu-west-2=8", write)).as("another fleet").isFalse();
  }
}
