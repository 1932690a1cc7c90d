package dev.liffey.autoscaler.aws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * One hosted zone, listed as Route 53 documents it: ordered by name with labels reversed, then
 * type, then SetIdentifier; pages of {@code pageSize} unless MaxItems says otherwise, continued
 * from NextRecordName, NextRecordType and NextRecordIdentifier. UPSERTs replace by name, type and
 * identifier. Records every request.
 */
final class FakeRoute53 implements Route53Client {
  private static final Comparator<ResourceRecordSet> ORDER =
      Comparator.comparing((ResourceRecordSet rs) -> reversed(rs.name()))
          .thenComparing(ResourceRecordSet::typeAsString)
          .thenComparing(rs -> Objects.toString(rs.setIdentifier(), ""));

  final List<ResourceRecordSet> records = new ArrayList<>();
  final List<ListResourceRecordSetsRequest> lists = new ArrayList<>();
  final List<ChangeResourceRecordSetsRequest> changes = new ArrayList<>();
  private final int pageSize;

  /** Like an emulator that ignores StartRecordIdentifier. */
  boolean ignoreStartIdentifier;

  FakeRoute53(int pageSize, ResourceRecordSet... records) {
    this.pageSize = pageSize;
    this.records.addAll(Arrays.asList(records));
  }

  @Override
  public ListResourceRecordSetsResponse listResourceRecordSets(
      ListResourceRecordSetsRequest request) {
    lists.add(request);
    records.sort(ORDER);
    int max = request.maxItems() == null ? pageSize : Integer.parseInt(request.maxItems());
    String startId = ignoreStartIdentifier ? null : request.startRecordIdentifier();
    int from = 0;
    while (from < records.size()
        && before(
            records.get(from),
            request.startRecordName(),
            request.startRecordTypeAsString(),
            startId)) {
      from++;
    }
    List<ResourceRecordSet> page = records.subList(from, Math.min(records.size(), from + max));
    var out =
        ListResourceRecordSetsResponse.builder()
            .resourceRecordSets(List.copyOf(page))
            .maxItems(String.valueOf(max));
    if (from + max < records.size()) {
      ResourceRecordSet next = records.get(from + max);
      out.isTruncated(true)
          .nextRecordName(next.name())
          .nextRecordType(next.typeAsString())
          .nextRecordIdentifier(next.setIdentifier());
    } else {
      out.isTruncated(false);
    }
    return out.build();
  }

  @Override
  public ChangeResourceRecordSetsResponse changeResourceRecordSets(
      ChangeResourceRecordSetsRequest request) {
    changes.add(request);
    for (var change : request.changeBatch().changes()) {
      if (change.action() != ChangeAction.UPSERT) {
        throw new UnsupportedOperationException(change.actionAsString());
      }
      ResourceRecordSet u = change.resourceRecordSet();
      records.removeIf(
          rs ->
              reversed(rs.name()).equals(reversed(u.name()))
                  && rs.type() == u.type()
                  && Objects.equals(rs.setIdentifier(), u.setIdentifier()));
      records.add(u);
    }
    return ChangeResourceRecordSetsResponse.builder().build();
  }

  private static boolean before(ResourceRecordSet rs, String name, String type, String id) {
    if (name == null) {
      return false;
    }
    int byName = reversed(rs.name()).compareTo(reversed(name));
    if (byName != 0 || type == null) {
      return byName < 0;
    }
    int byType = rs.typeAsString().compareTo(type);
    if (byType != 0 || id == null) {
      return byType < 0;
    }
    return Objects.toString(rs.setIdentifier(), "").compareTo(id) < 0;
  }

  private static String reversed(String name) {
    List<String> labels =
        new ArrayList<>(
            Arrays.asList(Route53RecordSets.relative(name).toLowerCase(Locale.ROOT).split("\\.")));
    Collections.reverse(labels);
    return String.join(".", labels) + ".";
  }

  @Override
  public String serviceName() {
    return "route53";
  }

  @Override
  public void close() {}
}
