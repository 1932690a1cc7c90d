package dev.liffey.edge.packing;

import dev.liffey.edge.controltable.Partition;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The relays' registry in the control table: partition {@code relays#<region>}, one item an
 * instance (sort key its id) with {@code address} ({@code 10.0.1.23:7080}), {@code viewers}, {@code
 * latencyP95} (ms, absent while no viewer has a round-trip time), {@code draining}, {@code at} and
 * {@code expiresAt} (epoch seconds, the table's TTL). A malformed item is skipped.
 */
public final class ControlTableRelays implements RelayRegistry {
  private final Partition partition;

  public ControlTableRelays(DynamoDbClient ddb, String table, String region) {
    this.partition = new Partition(ddb, table, "relays#" + region);
  }

  @Override
  public void announce(RelayEntry e) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(
        "address", AttributeValue.fromS(e.address().getHostString() + ":" + e.address().getPort()));
    item.put("viewers", AttributeValue.fromN(String.valueOf(e.viewers())));
    e.latencyP95Millis()
        .ifPresent(ms -> item.put("latencyP95", AttributeValue.fromN(String.valueOf(ms))));
    item.put("draining", AttributeValue.fromBool(e.draining()));
    partition.put(e.id(), item, e.at(), e.until());
  }

  @Override
  public void leave(String id) {
    partition.delete(id);
  }

  @Override
  public List<RelayEntry> entries() {
    return partition.read(
        e -> {
          Map<String, AttributeValue> item = e.attributes();
          String address = item.get("address").s();
          int colon = address.lastIndexOf(':');
          return new RelayEntry(
              e.id(),
              new InetSocketAddress(
                  address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
              Integer.parseInt(item.get("viewers").n()),
              item.containsKey("latencyP95")
                  ? OptionalDouble.of(Double.parseDouble(item.get("latencyP95").n()))
                  : OptionalDouble.empty(),
              item.get("draining").bool(),
              e.at(),
              e.until());
        });
  }
}
