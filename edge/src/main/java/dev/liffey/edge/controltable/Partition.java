package dev.liffey.edge.controltable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * One partition of the control table that agents write their own items to (sort key: the writer's
 * id), and read whole with a consistent query. Its own partition, so the autoscaler's tick never
 * reads it, and the agent's IAM policy names it as the only leading key it may touch.
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

  /** Writes (or replaces) the item {@code id}, with {@code attributes} beside its keys. */
  public void put(String id, Map<String, AttributeValue> attributes) {
    Map<String, AttributeValue> item = new HashMap<>(attributes);
    item.put("pk", AttributeValue.fromS(key));
    item.put("sk", AttributeValue.fromS(id));
    ddb.putItem(b -> b.tableName(table).item(item));
  }

  /** Removes the item {@code id}. */
  public void delete(String id) {
    ddb.deleteItem(
        b ->
            b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(key), "sk", AttributeValue.fromS(id))));
  }

  /** Every item in the partition, page after page. */
  public List<Map<String, AttributeValue>> items() {
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
