package dev.liffey.edge.placement;

import dev.liffey.edge.controltable.Partition;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The registry in the control table: partition {@code transcoders#<region>}, one item an instance
 * (sort key its id) with {@code api}, {@code instanceType}, {@code streams}, {@code room}, {@code
 * draining}, and the lease every {@link Partition} item has. A malformed item is skipped.
 */
public final class ControlTableRegistry implements TranscoderRegistry {
  private final Partition partition;

  public ControlTableRegistry(DynamoDbClient ddb, String table, String region) {
    this.partition = new Partition(ddb, table, "transcoders#" + region);
  }

  @Override
  public void announce(TranscoderEntry e) {
    partition.put(
        e.id(),
        Map.of(
            "api", AttributeValue.fromS(e.api().toString()),
            "instanceType", AttributeValue.fromS(e.instanceType()),
            "streams", AttributeValue.fromN(String.valueOf(e.streams())),
            "room", AttributeValue.fromN(String.valueOf(e.room())),
            "draining", AttributeValue.fromBool(e.draining())),
        e.at(),
        e.until());
  }

  @Override
  public void leave(String id) {
    partition.delete(id);
  }

  @Override
  public List<TranscoderEntry> entries() {
    return partition.read(
        e -> {
          Map<String, AttributeValue> item = e.attributes();
          return new TranscoderEntry(
              e.id(),
              URI.create(item.get("api").s()),
              item.get("instanceType").s(),
              Integer.parseInt(item.get("streams").n()),
              Integer.parseInt(item.get("room").n()),
              item.get("draining").bool(),
              e.at(),
              e.until());
        });
  }
}
