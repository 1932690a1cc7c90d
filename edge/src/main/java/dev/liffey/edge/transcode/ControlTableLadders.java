package dev.liffey.edge.transcode;

import dev.liffey.core.media.Ladder;
import dev.liffey.core.media.LadderPlanRow;
import dev.liffey.edge.transcode.LadderAssignment.RegionPlan;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The region's ladder plan as the autoscaler writes it to the control table: partition {@code
 * control}, sort key {@code ladderplan#<region>}, with {@code streamsByLadder} (a map from a
 * ladder's rungs, {@code 720/480/360}, to its streams), {@code waiting} and, when on-call forced a
 * ladder, {@code forced}. One strongly consistent GetItem a read. No row yet: every stream on the
 * full ladder.
 */
public final class ControlTableLadders {
  private final DynamoDbClient ddb;
  private final String table;
  private final String region;

  public ControlTableLadders(DynamoDbClient ddb, String table, String region) {
    this.ddb = ddb;
    this.table = table;
    this.region = region;
  }

  /**
   * @throws IllegalStateException naming the attribute, when the row cannot be read as a plan
   */
  public RegionPlan read() {
    Map<String, AttributeValue> item =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .consistentRead(true)
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS(LadderPlanRow.PARTITION),
                                "sk", AttributeValue.fromS(LadderPlanRow.key(region))))
                        // What the agent reads, and, in its role, all it may read of the row.
                        .projectionExpression("#l, #w, #f")
                        .expressionAttributeNames(
                            Map.of(
                                "#l", LadderPlanRow.STREAMS_BY_LADDER,
                                "#w", LadderPlanRow.WAITING,
                                "#f", LadderPlanRow.FORCED)))
            .item();
    if (item == null || item.isEmpty()) {
      return RegionPlan.FULL;
    }
    try {
      Map<Ladder, Integer> byLadder = new EnumMap<>(Ladder.class);
      AttributeValue m = item.get(LadderPlanRow.STREAMS_BY_LADDER);
      if (m == null || !m.hasM()) {
        throw new IllegalArgumentException(
            "no map attribute '" + LadderPlanRow.STREAMS_BY_LADDER + "'");
      }
      m.m().forEach((label, n) -> byLadder.put(Ladder.parse(label), Integer.parseInt(n.n())));
      AttributeValue waiting = item.get(LadderPlanRow.WAITING);
      AttributeValue forced = item.get(LadderPlanRow.FORCED);
      return new RegionPlan(
          byLadder,
          waiting == null ? 0 : Integer.parseInt(waiting.n()),
          forced == null ? Optional.empty() : Optional.of(Ladder.parse(forced.s())));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "control table "
              + table
              + " row "
              + LadderPlanRow.key(region)
              + " is not a ladder plan ("
              + e.getMessage()
              + "): keeping the ladders in force",
          e);
    }
  }
}
