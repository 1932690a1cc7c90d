package dev.liffey.autoscaler.aws;

import static dev.liffey.autoscaler.aws.Records.ELB_ZONE;
import static dev.liffey.autoscaler.aws.Records.WEIGHTED;
import static dev.liffey.autoscaler.aws.Records.ZONE;
import static dev.liffey.autoscaler.aws.Records.plain;
import static dev.liffey.autoscaler.aws.Records.weighted;
import static dev.liffey.autoscaler.aws.Records.weightedAlias;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

class WeightedSetTest {

  private static WeightedSet set(ResourceRecordSet... records) {
    return new WeightedSet(WEIGHTED, ZONE, List.of(records));
  }

  @Test
  void aDualStackRegionHasOneWeight_andBothItsRecordsMoveTogether() {
    WeightedSet set =
        set(
            weightedAlias(RRType.A, "eu-west-1", 200),
            weightedAlias(RRType.A, "eu-west-2", 55),
            weightedAlias(RRType.AAAA, "eu-west-1", 200),
            weightedAlias(RRType.AAAA, "eu-west-2", 55));

    assertThat(set.weights()).isEqualTo(Map.of("eu-west-1", 200, "eu-west-2", 55));
    List<ResourceRecordSet> upserts = set.upserts(Map.of("eu-west-1", 193, "eu-west-2", 55));

    assertThat(upserts)
        .extracting(rs -> rs.typeAsString() + " " + rs.setIdentifier() + " " + rs.weight())
        .containsExactlyInAnyOrder("A eu-west-1 193", "AAAA eu-west-1 193");
    assertThat(set.with(upserts).weights()).isEqualTo(Map.of("eu-west-1", 193, "eu-west-2", 55));
  }

  @Test
  void anUpsertChangesOnlyTheWeight_keepingTypeAliasTargetTtlValuesAndHealthCheck() {
    ResourceRecordSet alias = weightedAlias(RRType.A, "eu-west-1", 200);
    ResourceRecordSet plain = weighted(RRType.AAAA, "eu-west-2", 55, "2001:db8::1", "2001:db8::2");
    ResourceRecordSet cname =
        weighted(RRType.CNAME, "eu-west-3", 0, "eu-west-3.edge.live.liffey.example");

    List<ResourceRecordSet> upserts =
        set(alias, plain, cname)
            .upserts(Map.of("eu-west-1", 100, "eu-west-2", 100, "eu-west-3", 55));

    assertThat(upserts)
        .containsExactly(
            alias.toBuilder().weight(100L).build(),
            plain.toBuilder().weight(100L).build(),
            cname.toBuilder().weight(55L).build());
    assertThat(upserts.get(0).aliasTarget().hostedZoneId()).isEqualTo(ELB_ZONE);
  }

  @Test
  void nothingToUpsert_whenEveryWeightIsAlreadyRight() {
    assertThat(set(weightedAlias(RRType.A, "eu-west-1", 200)).upserts(Map.of("eu-west-1", 200)))
        .isEmpty();
  }

  @Test
  void aRegionWithoutARecord_isNamedWithWhatWasFound() {
    WeightedSet set = set(weightedAlias(RRType.A, "eu-west-1", 200));

    assertThatThrownBy(() -> set.upserts(Map.of("eu-west-1", 100, "eu-west-2", 155)))
        .hasMessage(
            "no weighted record ie.edge.live.liffey.example for eu-west-2 in zone Z04LIFFEYEXAMPLE00001:"
                + " found A alias records for eu-west-1 only");
  }

  @Test
  void aSimpleRecord_isNotAWeightedSet() {
    WeightedSet set = set(plain(WEIGHTED, RRType.CNAME, "eu-west-1.edge.live.liffey.example"));

    assertThat(set.weights()).isEmpty();
    assertThat(set.missing(List.of("eu-west-1", "eu-west-2")))
        .hasValue(
            "no weighted record"
                + " ie.edge.live.liffey.example for eu-west-1, eu-west-2 in zone Z04LIFFEYEXAMPLE00001: found a simple CNAME,"
                + " not a weighted set");
  }

  @Test
  void otherPoliciesAndTypes_areDescribedOrLeftOut() {
    WeightedSet latency =
        set(
            plain(WEIGHTED, RRType.TXT, "\"v=1\""),
            plain(WEIGHTED, RRType.A, "192.0.2.1").toBuilder()
                .setIdentifier("eu-west-1")
                .region("eu-west-1")
                .build(),
            plain(WEIGHTED, RRType.A, "192.0.2.2").toBuilder()
                .setIdentifier("eu-west-2")
                .region("eu-west-2")
                .build());
    WeightedSet none = set(plain(WEIGHTED, RRType.TXT, "\"v=1\""));

    assertThat(latency.missing(List.of("eu-west-1")))
        .get()
        .asString()
        .endsWith(": found latency A records for eu-west-1, eu-west-2, not a weighted set");
    assertThat(none.missing(List.of("eu-west-1")))
        .get()
        .asString()
        .endsWith(": found no A, AAAA or CNAME record of that name");
  }

  @Test
  void dualStackRecordsThatDisagree_areReported_andTheNextChangeBringsThemTogether() {
    WeightedSet set =
        set(
            weightedAlias(RRType.A, "eu-west-1", 200),
            weightedAlias(RRType.AAAA, "eu-west-1", 150));

    assertThat(set.weights()).isEqualTo(Map.of("eu-west-1", 200));
    assertThat(set.disagreements())
        .hasValue(
            "weights of one region differ between its records in"
                + " ie.edge.live.liffey.example: eu-west-1 (A 200, AAAA 150); reading the first, and the next change moves them all");
    assertThat(set.upserts(Map.of("eu-west-1", 190))).hasSize(2);
    assertThat(set(weightedAlias(RRType.A, "eu-west-1", 200)).disagreements()).isEmpty();
  }
}
