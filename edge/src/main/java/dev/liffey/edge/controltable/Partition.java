package dev.liffey.edge.controltable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * One partition of the control table that agents write their own items to (sort key: the writer's
 * id), and read whole with a consistent query. Its own partition, so the autoscaler's tick never
 * reads it, and the agent's IAM policy names it as the only leading key it may touch. Each item is
 * a lease: {@code at} (when it was written) and {@code expiresAt} (epoch seconds, the table's TTL,
 * which removes an item its writer stopped renewing; readers ignore it from then on).
 */
public final class Partition {
  private final DynamoDbClient ddb;
  private final String table;
  private final String key;

  /**
   * @param key the partition key, like {@code transcoders#eu-west-1}
   */
  public Partition(DynamoDbClient ddb, String table, String key) {
    this.ddb = ddb;
    this.table = table;
    this.key = key;
  }

  /**
   * An item as read back.
   *
   * @param id its writer's id (the sort key)
   * @param attributes the rest of the item, as written
   * @param at when it was written
   * @param until when it lapses unless written again
   */
  public record Entry(
      String id, Map<String, AttributeValue> attributes, Instant at, Instant until) {}

  /**
   * Writes (or replaces) the item {@code id}, with {@code attributes} beside its keys, written
   * {@code at} and holding {@code until}.
   */
  public void put(String id, Map<String, AttributeValue> attributes, Instant at, Instant until) {
    Map<String, AttributeValue> item = new HashMap<>(attributes);
    item.put("pk", AttributeValue.fromS(key));
    item.put("sk", AttributeValue.fromS(id));
    item.put("at", AttributeValue.fromS(at.toString()));
    item.put("expiresAt", AttributeValue.fromN(String.valueOf(until.getEpochSecond())));
    ddb.putItem(b -> b.tableName(table).item(item));
  }

  /** Removes the item {@code id}. */
  public void delete(String id) {
    ddb.deleteItem(
        b ->
            b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(key), "sk", AttributeValue.fromS(id))));
  }

  /**
   * Every item in the partition, as {@code parse} makes it; an item it cannot parse (not one this
   * agent wrote, or a newer agent's) is skipped.
   */
  public <T> List<T> read(Function<Entry, T> parse) {
    List<T> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : items()) {
      try {
        out.add(
            parse.apply(
                new Entry(
                    item.get("sk").s(),
                    item,
                    Instant.parse(item.get("at").s()),
                    Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())))));
      } catch (RuntimeException malformed) {
        // Its readers go on without it.
      }
    }
    return out;
  }

  /** Every item in the partition, page after page. */
  private List<Map<String, AttributeValue>> items() {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page =
          ddb.query(
              b -> {
                b.tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(key)));
                if (from != null) {
                  b.exclusiveStartKey(from);
                }
              });
      out.addAll(page.items());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return out;
  }
}
