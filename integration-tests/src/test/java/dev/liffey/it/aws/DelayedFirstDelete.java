package dev.liffey.it.aws;

import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The emulator's DynamoDB, with {@code meanwhile} run just before the first delete reaches it:
 * another writer's change landing between a read and the delete decided on it.
 */
final class DelayedFirstDelete implements DynamoDbClient {
  private final DynamoDbClient ddb;
  private final Runnable meanwhile;
  private final AtomicBoolean ran = new AtomicBoolean();

  DelayedFirstDelete(DynamoDbClient ddb, Runnable meanwhile) {
    this.ddb = ddb;
    this.meanwhile = meanwhile;
  }

  @Override
  public QueryResponse query(QueryRequest request) {
    return ddb.query(request);
  }

  @Override
  public DeleteItemResponse deleteItem(DeleteItemRequest request) {
    if (ran.compareAndSet(false, true)) {
      meanwhile.run();
    }
    return ddb.deleteItem(request);
  }

  @Override
  public String serviceName() {
    return ddb.serviceName();
  }

  @Override
  public void close() {
    // the emulator's client belongs to the test
  }
}
