package dev.liffey.autoscaler.aws;

import static dev.liffey.autoscaler.aws.Records.WEIGHTED;
import static dev.liffey.autoscaler.aws.Records.ZONE;
import static dev.liffey.autoscaler.aws.Records.plain;
import static dev.liffey.autoscaler.aws.Records.weighted;
import static dev.liffey.autoscaler.aws.Records.weightedAlias;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

class Route53RecordSetsTest {

  @Test
  void readsEveryTypeOfTheName_acrossPagesThatEndInsideOneTypesWeightedRecords() {
    FakeRoute53 r53 =
        new FakeRoute53(
            2,
            plain("a.ie.edge.live.liffey.example.", RRType.A, "192.0.2.1"),
            weightedAlias(RRType.A, "eu-west-1", 200),
            weightedAlias(RRType.A, "eu-west-2", 55),
            weightedAlias(RRType.A, "eu-west-3", 0),
            weightedAlias(RRType.AAAA, "eu-west-1", 200),
            weightedAlias(RRType.AAAA, "eu-west-2", 55),
            plain(WEIGHTED, RRType.TXT, "\"v=liffey\""),
            plain("zz.edge.live.liffey.example.", RRType.CNAME, "x.example"));

    List<ResourceRecordSet> read =
        Route53RecordSets.named(r53, ZONE, "ie.edge.live.liffey.example");

    assertThat(read)
        .extracting(rs -> rs.typeAsString() + " " + rs.setIdentifier())
        .containsExactly(
            "A eu-west-1",
            "A eu-west-2",
            "A eu-west-3",
            "AAAA eu-west-1",
            "AAAA eu-west-2",
            "TXT null");
    // the second page starts inside the A records, from the identifier Route 53 gave
    assertThat(r53.lists.get(1).startRecordTypeAsString()).isEqualTo("A");
    assertThat(r53.lists.get(1).startRecordIdentifier()).isEqualTo("eu-west-3");
    assertThat(r53.lists.get(0).startRecordTypeAsString()).isNull();
  }

  @Test
  void stopsAtTheNextName_withoutAskingForAnotherPage() {
    FakeRoute53 r53 =
        new FakeRoute53(
            2,
            weighted(RRType.CNAME, "eu-west-1", 200, "eu-west-1.edge.live.liffey.example"),
            plain("x.ie.edge.live.liffey.example.", RRType.A, "192.0.2.1"),
            plain("y.ie.edge.live.liffey.example.", RRType.A, "192.0.2.2"));

    assertThat(Route53RecordSets.named(r53, ZONE, WEIGHTED)).hasSize(1);
    assertThat(r53.lists).hasSize(1);
  }

  @Test
  void findsNothing_whenTheNameIsAbsent() {
    FakeRoute53 r53 =
        new FakeRoute53(300, plain("zz.edge.live.liffey.example.", RRType.CNAME, "x.example"));

    assertThat(Route53RecordSets.named(r53, ZONE, WEIGHTED)).isEmpty();
  }

  @Test
  void refusesAListingThatDoesNotAdvance_insteadOfLoopingForEver() {
    FakeRoute53 r53 =
        new FakeRoute53(
            2,
            weightedAlias(RRType.A, "eu-west-1", 1),
            weightedAlias(RRType.A, "eu-west-2", 2),
            weightedAlias(RRType.A, "eu-west-3", 3),
            weightedAlias(RRType.A, "eu-west-4", 4));
    r53.ignoreStartIdentifier = true;

    assertThatThrownBy(() -> Route53RecordSets.named(r53, ZONE, WEIGHTED))
        .hasMessage(
            "listing ie.edge.live.liffey.example. in zone Z04LIFFEYEXAMPLE00001 did not advance past type A,"
                + " identifier eu-west-3");
  }

  @Test
  void namesCompareWithoutCaseOrTrailingDot() {
    assertThat(
            Route53RecordSets.sameName(
                "IE.Edge.live.liffey.example", "ie.edge.live.liffey.example."))
        .isTrue();
    assertThat(
            Route53RecordSets.sameName("ie.edge.live.liffey.example", "edge.live.liffey.example"))
        .isFalse();
  }
}
