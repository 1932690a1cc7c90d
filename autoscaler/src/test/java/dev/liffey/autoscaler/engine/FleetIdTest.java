package dev.liffey.autoscaler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetIdTest {

  @Test
  void idsWhoseRegionAndNameDifferByACharacter_hashApart() {
    // The record's own hash gave pairs like (eu-west-2, svc100) and (eu-west-1, svc200) one value.
    Set<Integer> hashes = new HashSet<>();
    int ids = 0;
    for (int r = 1; r <= 9; r++) {
      for (int s = 0; s < 500; s++) {
        hashes.add(FleetId.service("eu-west-" + r, "svc" + s).hashCode());
        ids++;
      }
    }

    assertThat(hashes).hasSize(ids);
  }

  @Test
  void equalIdsAreEqualAndHashAlike_andTheKindTellsIdsApart() {
    FleetId a = FleetId.transcode("eu-west-1", "g6.2xlarge");
    FleetId b = FleetId.transcode(new String("eu-west-1"), new String("g6.2xlarge"));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(FleetId.service("eu-west-1", "relay")).isNotEqualTo(FleetId.relay("eu-west-1"));
  }
}
