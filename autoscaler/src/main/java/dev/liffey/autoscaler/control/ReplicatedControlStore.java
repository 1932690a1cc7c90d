package dev.liffey.autoscaler.control;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.engine.Actuation;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlStore;
import dev.liffey.autoscaler.engine.FencedOut;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.core.config.EdgeConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The control table as a global table is: the primary region's copy first, the replica region's
 * when the primary cannot be reached (both accept writes; DynamoDB replicates them). A refused
 * write ({@link FencedOut}, a failed condition) is an answer, not an outage, and is never retried
 * on the replica. Thread-safe.
 */
public final class ReplicatedControlStore implements ControlStore {
  private static final Logger log = LoggerFactory.getLogger(ReplicatedControlStore.class);
  private final DynamoDbControlStore primary;
  private final DynamoDbControlStore replica;
  private final String primaryRegion;
  private final String replicaRegion;

  public ReplicatedControlStore(
      DynamoDbControlStore primary,
      String primaryRegion,
      DynamoDbControlStore replica,
      String replicaRegion) {
    this.primary = primary;
    this.replica = replica;
    this.primaryRegion = primaryRegion;
    this.replicaRegion = replicaRegion;
  }

  /** The configured table in the primary region, and its replica. */
  public static ReplicatedControlStore of(EdgeConfig config, AwsClients aws) {
    String table = config.control().tableName();
    return new ReplicatedControlStore(
        new DynamoDbControlStore(table, aws.dynamoDb(config.primaryRegion())),
        config.primaryRegion(),
        new DynamoDbControlStore(table, aws.dynamoDb(config.control().replicaRegion())),
        config.control().replicaRegion());
  }

  @Override
  public ControlState read() {
    return either(
        "read",
        DynamoDbControlStore::read,
        (state, failure) -> {
          List<String> problems = new ArrayList<>(state.problems());
          problems.add(
              0, "control table: " + failure + "; read from its replica in " + replicaRegion);
          return state.withProblems(problems);
        });
  }

  @Override
  public void audit(AuditRecord record) {
    run("write the audit record", s -> s.audit(record));
  }

  @Override
  public void recordActions(Instant at, List<Actuation> done, long fencingToken) {
    run("record the last actions", s -> s.recordActions(at, done, fencingToken));
  }

  @Override
  public void recordLadders(Instant at, List<LadderPlan> plans, long fencingToken) {
    run("write the ladder plans", s -> s.recordLadders(at, plans, fencingToken));
  }

  private void run(String what, Consumer<DynamoDbControlStore> write) {
    either(
        what,
        s -> {
          write.accept(s);
          return null;
        },
        (v, failure) -> v);
  }

  private <T> T either(
      String what, Function<DynamoDbControlStore, T> call, BiFunction<T, String, T> fromReplica) {
    try {
      return call.apply(primary);
    } catch (SdkException e) {
      if (!outage(e)) {
        throw e;
      }
      String failure = "cannot " + what + " in " + primaryRegion + " (" + e.getMessage() + ")";
      log.warn("[region={}] {}; trying the replica in {}", primaryRegion, failure, replicaRegion);
      T answer;
      try {
        answer = call.apply(replica);
      } catch (SdkException r) {
        if (!outage(r)) {
          throw r;
        }
        throw new ControlTableUnavailable(
            failure + ", nor in its replica in " + replicaRegion + " (" + r.getMessage() + ")", r);
      }
      return fromReplica.apply(answer, failure);
    }
  }

  /** Neither region's table could be reached. */
  public static final class ControlTableUnavailable extends RuntimeException {
    ControlTableUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Whether the primary could not answer at all (as opposed to answering no). */
  private static boolean outage(SdkException e) {
    if (e instanceof ConditionalCheckFailedException || e instanceof TransactionCanceledException) {
      return false;
    }
    return !(e instanceof AwsServiceException s)
        || s.statusCode() >= 500
        || s.isThrottlingException()
        || s instanceof ResourceNotFoundException;
  }
}
