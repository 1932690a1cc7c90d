package dev.liffey.edge.placement;

import dev.liffey.edge.controltable.Partition;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The registry in the control table: partition {@code transcoders#<region>}, one item an instance
 * (sort key its id) with {@code api}, {@code instanceType}, {@code streams}, {@code room}, {@code
 * draining}, {@code at} and {@code expiresAt} (epoch seconds: the table's TTL removes an entry its
 * transcoder stopped writing; readers ignore it from then on). A malformed item is skipped.
 */
public final class ControlTableRegistry implements TranscoderRegistry {
  private final Partition partition;

  public ControlTableRegistry(DynamoDbClient ddb, String table, String region) {
    this.partition = new Partition(ddb, table, "transcoders#" + region);
  }

  @Override
  public void announce(TranscoderEntry e) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("api", AttributeValue.fromS(e.api().toString()));
    item.put("instanceType", AttributeValue.fromS(e.instanceType()));
    item.put("streams", AttributeValue.fromN(String.valueOf(e.streams())));
    item.put("room", AttributeValue.fromN(String.valueOf(e.room())));
    item.put("draining", AttributeValue.fromBool(e.draining()));
    item.put("at", AttributeValue.fromS(e.at().toString()));
    item.put("expiresAt", AttributeValue.fromN(String.valueOf(e.until().getEpochSecond())));
    partition.put(e.id(), item);
  }

  @Override
  public void leave(String id) {
    partition.delete(id);
  }

  @Override
  public List<TranscoderEntry> entries() {
    List<TranscoderEntry> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : partition.items()) {
      try {
        out.add(
            new TranscoderEntry(
                item.get("sk").s(),
                URI.create(item.get("api").s()),
                item.get("instanceType").s(),
                Integer.parseInt(item.get("streams").n()),
                Integer.parseInt(item.get("room").n()),
                item.get("draining").bool(),
                Instant.parse(item.get("at").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n()))));
      } catch (RuntimeException malformed) {
        // Not an entry this agent wrote (or a newer agent's): placement goes on without it.
      }
    }
    return out;
  }
}
