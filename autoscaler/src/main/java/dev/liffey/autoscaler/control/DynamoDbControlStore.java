package dev.liffey.autoscaler.control;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.engine.Actuation;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.AddedEvent;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.ControlState.CapacityOverride;
import dev.liffey.autoscaler.engine.ControlState.Drain;
import dev.liffey.autoscaler.engine.ControlState.Entry;
import dev.liffey.autoscaler.engine.ControlState.Freeze;
import dev.liffey.autoscaler.engine.ControlState.Key;
import dev.liffey.autoscaler.engine.ControlState.LadderOrder;
import dev.liffey.autoscaler.engine.ControlState.LaddersInForce;
import dev.liffey.autoscaler.engine.ControlState.RoutePin;
import dev.liffey.autoscaler.engine.ControlStore;
import dev.liffey.autoscaler.engine.FencedOut;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.ops.ConcurrentChangeException;
import dev.liffey.autoscaler.ops.OnCallTable;
import dev.liffey.autoscaler.ops.Write;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import dev.liffey.core.media.Ladder;
import dev.liffey.core.media.LadderPlanRow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The control table (schema as the CDK app creates it: {@code pk}/{@code sk} strings, TTL attribute
 * {@code expiresAt}). Partition {@code control} holds what each tick reads, by sort key: {@code
 * floor#region#fleet} (on-call's) and {@code floor#region#fleet#event} (a known event's), {@code
 * freeze#region#fleet} ({@code *} for all), {@code pin#market}, {@code override#region#fleet},
 * {@code drain#region}, {@code event#name}, {@code ladder#region} (on-call's ladder hold or forced
 * ladder), and {@code action#region#kind#name} (the autoscaler's last change to each fleet, for
 * cool-downs), {@code ladderplan#region} (the ladders the region's streams get: what its transcoder
 * agents read) and {@code fence#autoscaler} (the newest fencing token that has written: a deposed
 * leader's writes are refused). Partitions {@code audit#YYYY-MM-DD} (sk {@code
 * instant#sequence#random}) are the append-only audit log. On-call's changes are written with their
 * audit record in one transaction, each entry conditional on the version its writer read, so two
 * writers cannot lose each other's changes. Thread-safe.
 */
public final class DynamoDbControlStore implements ControlStore, OnCallTable {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String TTL = "expiresAt";
  static final String ANY = ControlState.ANY;

  /** A ladder order's {@code ladder} when it forces none: the plan in force is held. */
  static final String HOLD = "hold";

  /** The fencing token attribute, on audit and action records and on the fence row. */
  static final String TOKEN = "fencingToken";

  /** The sort key of the fence: the newest fencing token that has written. */
  static final String FENCE = "fence#autoscaler";

  /** The partition of everything read each tick, so that a tick reads it in one Query. */
  static final String STATE = "control";

  /** Expired overrides stay readable this long (for history) before DynamoDB's TTL removes them. */
  static final Duration KEEP_EXPIRED = Duration.ofDays(30);

  private final String table;
  private final DynamoDbClient ddb;
  private final AtomicLong sequence = new AtomicLong();

  public DynamoDbControlStore(String table, DynamoDbClient ddb) {
    this.table = table;
    this.ddb = ddb;
  }

  /** The configured control table, in the primary region, through these clients. */
  public static DynamoDbControlStore of(EdgeConfig config, AwsClients aws) {
    return new DynamoDbControlStore(
        config.control().tableName(), aws.dynamoDb(config.primaryRegion()));
  }

  /** Creates the table with the CDK's schema when it does not exist (emulators, first runs). */
  public boolean createTableIfMissing() {
    try {
      ddb.describeTable(b -> b.tableName(table));
      return false;
    } catch (ResourceNotFoundException e) {
      ddb.createTable(
          b ->
              b.tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName(PK)
                          .attributeType(ScalarAttributeType.S)
                          .build(),
                      AttributeDefinition.builder()
                          .attributeName(SK)
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                      KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build()));
      ddb.waiter().waitUntilTableExists(b -> b.tableName(table));
      ddb.updateTimeToLive(
          b -> b.tableName(table).timeToLiveSpecification(t -> t.attributeName(TTL).enabled(true)));
      return true;
    }
  }

  /**
   * Everything on-call has said and the autoscaler's last actions: one Query (a page per 1 MB) a
   * tick. A malformed row is skipped and named in {@link ControlState#problems()}; the rest is
   * read.
   */
  @Override
  public ControlState read() {
    List<CapacityFloor> floors = new ArrayList<>();
    List<Freeze> freezes = new ArrayList<>();
    List<RoutePin> pins = new ArrayList<>();
    List<CapacityOverride> overrides = new ArrayList<>();
    List<Drain> drains = new ArrayList<>();
    List<KnownEvent> events = new ArrayList<>();
    Map<FleetId, ControlState.LastAction> actions = new HashMap<>();
    List<String> problems = new ArrayList<>();
    Map<Key, Long> versions = new HashMap<>();
    List<LadderOrder> ladderOrders = new ArrayList<>();
    Map<String, LaddersInForce> ladders = new HashMap<>();
    for (Map<String, AttributeValue> i : query(STATE)) {
      Row row = new Row(i);
      try {
        String key = row.key();
        if (i.containsKey("version")) {
          versions.put(new Key(row.kind(), key), row.number("version"));
        }
        switch (row.kind()) {
          case "floor" -> {
            // region#fleet is on-call's; region#fleet#name a known event's own
            String[] k = key.split("#", 3).length == 3 ? parts(key, 3) : parts(key, 2);
            floors.add(
                new CapacityFloor(
                    k[0],
                    k[1],
                    row.integer("capacity"),
                    row.instant("until"),
                    row.text("reason"),
                    row.text("who"),
                    k.length == 3 ? Optional.of(k[2]) : Optional.empty()));
          }
          case "freeze" -> {
            String[] k = parts(key, 2);
            // a freeze written before freezes had an end holds until it is lifted
            Instant until = i.containsKey("until") ? row.instant("until") : Instant.MAX;
            freezes.add(
                new Freeze(any(k[0]), any(k[1]), until, row.text("reason"), row.text("who")));
          }
          case "pin" ->
              pins.add(
                  new RoutePin(
                      key,
                      row.required("region"),
                      row.integer("percent"),
                      row.instant("until"),
                      row.text("reason"),
                      row.text("who")));
          case "override" -> {
            String[] k = parts(key, 2);
            overrides.add(
                new CapacityOverride(
                    k[0],
                    k[1],
                    row.integer("capacity"),
                    row.instant("until"),
                    row.text("reason"),
                    row.text("who")));
          }
          case "drain" ->
              drains.add(new Drain(key, row.instant("since"), row.text("reason"), row.text("who")));
          case "event" ->
              events.add(
                  new KnownEvent(
                      key,
                      row.required("market"),
                      row.instant("start"),
                      Duration.ofSeconds(row.number("durationSeconds")),
                      row.integer("viewers"),
                      Duration.ofSeconds(row.number("prewarmSeconds"))));
          case "action" -> {
            String[] k = parts(key, 3);
            FleetId id =
                new FleetId(k[0], FleetKind.valueOf(k[1].toUpperCase(java.util.Locale.ROOT)), k[2]);
            actions.put(
                id,
                new ControlState.LastAction(
                    row.instant("at"), row.integer("from"), row.integer("to")));
          }
          case "ladder" -> {
            String ladder = row.required("ladder");
            ladderOrders.add(
                new LadderOrder(
                    key,
                    HOLD.equals(ladder) ? Optional.empty() : Optional.of(Ladder.parse(ladder)),
                    row.instant("until"),
                    row.text("reason"),
                    row.text("who")));
          }
          case LadderPlanRow.PREFIX -> ladders.put(key, ladderPlan(key, row));
          default -> {} // the fence, or a kind a newer version wrote: not ours to read
        }
      } catch (RuntimeException e) {
        problems.add("control row " + row.sortKey() + " skipped: " + e.getMessage());
      }
    }
    events.sort(Comparator.comparing(KnownEvent::start));
    return new ControlState(
        List.copyOf(floors),
        List.copyOf(freezes),
        List.copyOf(pins),
        List.copyOf(overrides),
        List.copyOf(drains),
        List.copyOf(events),
        Map.copyOf(actions),
        List.copyOf(problems),
        Map.copyOf(versions),
        List.copyOf(ladderOrders),
        Map.copyOf(ladders));
  }

  /** A {@code ladderplan#region} row: the streams on each ladder, by the ladder's rungs. */
  private static LaddersInForce ladderPlan(String region, Row row) {
    AttributeValue m = row.item().get(LadderPlanRow.STREAMS_BY_LADDER);
    if (m == null || !m.hasM()) {
      throw new IllegalArgumentException("no map attribute 'streamsByLadder'");
    }
    Map<Ladder, Integer> byLadder = new EnumMap<>(Ladder.class);
    m.m().forEach((label, n) -> byLadder.put(Ladder.parse(label), Integer.parseInt(n.n())));
    return new LaddersInForce(
        row.instant("at"),
        new LadderPlan(
            region,
            row.integer(LadderPlanRow.STREAMS),
            byLadder,
            row.integer(LadderPlanRow.WAITING),
            row.decimal(LadderPlanRow.SLOTS),
            false,
            row.text("reason"),
            row.item().containsKey(LadderPlanRow.FORCED)
                ? Optional.of(Ladder.parse(row.required(LadderPlanRow.FORCED)))
                : Optional.empty()));
  }

  /** {@code key} split at {@code #} into exactly {@code n} non-empty parts, or why it cannot be. */
  private static String[] parts(String key, int n) {
    String[] k = key.split("#", n);
    if (k.length != n || java.util.Arrays.stream(k).anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "its key '" + key + "' should have " + n + " parts separated by '#'");
    }
    return k;
  }

  /**
   * Appends to the audit log; never overwrites a record. A record with a fencing token is written
   * in one transaction with the fence, which only moves forward: a deposed leader's record is
   * refused.
   */
  @Override
  public void audit(AuditRecord r) {
    Map<String, AttributeValue> item = auditItem(r);
    if (r.fencingToken() == 0) {
      ddb.putItem(
          PutItemRequest.builder()
              .tableName(table)
              .item(item)
              .conditionExpression("attribute_not_exists(" + PK + ")")
              .build());
      return;
    }
    fenced(
        r.fencingToken(),
        List.of(
            TransactWriteItem.builder()
                .put(
                    p ->
                        p.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(" + PK + ")"))
                .build()),
        true);
  }

  /** An audit log row: partition by UTC day, sort key unique to this record. */
  private Map<String, AttributeValue> auditItem(AuditRecord r) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, str("audit#" + LocalDate.ofInstant(r.at(), ZoneOffset.UTC)));
    // Same instant: this writer's order, then a random part so two writers never collide.
    item.put(
        SK,
        str(
            String.format(
                "%s#%012d#%s",
                r.at(), sequence.incrementAndGet(), UUID.randomUUID().toString().substring(0, 8))));
    item.put("at", str(r.at().toString()));
    item.put("who", str(r.who()));
    item.put("what", str(r.what()));
    item.put("why", str(r.why()));
    item.put("before", str(r.before()));
    item.put("after", str(r.after()));
    if (r.fencingToken() != 0) {
      item.put(TOKEN, num(r.fencingToken()));
    }
    return item;
  }

  /**
   * Remembers each fleet's last change of desired capacity (sort key {@code
   * action#region#kind#name}), so a restarted daemon or a new leader keeps the cool-downs; kept a
   * day. With a fencing token the writes are refused once a newer token has written.
   */
  @Override
  public void recordActions(Instant at, List<Actuation> done, long fencingToken) {
    List<TransactWriteItem> puts = new ArrayList<>();
    for (Actuation a : done) {
      if (!a.changesDesired()) {
        continue;
      }
      FleetId f = a.fleet();
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(PK, str(STATE));
      item.put(SK, str("action#" + f.region() + "#" + f.kind().label() + "#" + f.name()));
      item.put("at", str(at.toString()));
      item.put("from", num(a.fromDesired()));
      item.put("to", num(a.toDesired()));
      item.put(TOKEN, num(fencingToken));
      item.put(TTL, num(at.plus(Duration.ofDays(1)).getEpochSecond()));
      if (fencingToken == 0) {
        ddb.putItem(b -> b.tableName(table).item(item));
      } else {
        puts.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build());
      }
    }
    // A transaction holds at most 100 items: the fence's check and 99 records.
    for (int from = 0; from < puts.size(); from += 99) {
      fenced(fencingToken, puts.subList(from, Math.min(puts.size(), from + 99)), false);
    }
  }

  /**
   * Writes each region's ladders (sort key {@code ladderplan#region}): in force until the next plan
   * replaces it, so kept without an end. With a fencing token the writes are refused once a newer
   * token has written.
   */
  @Override
  public void recordLadders(Instant at, List<LadderPlan> plans, long fencingToken) {
    List<TransactWriteItem> puts = new ArrayList<>();
    for (LadderPlan p : plans) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(PK, str(STATE));
      item.put(SK, str(LadderPlanRow.key(p.region())));
      item.put("at", str(at.toString()));
      item.put(LadderPlanRow.STREAMS, num(p.streams()));
      item.put(LadderPlanRow.WAITING, num(p.waiting()));
      // Weighted slots may be fractional: a decimal number.
      item.put(LadderPlanRow.SLOTS, AttributeValue.builder().n(Double.toString(p.slots())).build());
      Map<String, AttributeValue> byLadder = new HashMap<>();
      p.byLadder().forEach((l, n) -> byLadder.put(l.label(), num(n)));
      item.put(LadderPlanRow.STREAMS_BY_LADDER, AttributeValue.builder().m(byLadder).build());
      item.put("reason", str(p.reason()));
      p.forced().ifPresent(l -> item.put(LadderPlanRow.FORCED, str(l.label())));
      item.put(TOKEN, num(fencingToken));
      if (fencingToken == 0) {
        ddb.putItem(b -> b.tableName(table).item(item));
      } else {
        puts.add(TransactWriteItem.builder().put(x -> x.tableName(table).item(item)).build());
      }
    }
    for (int from = 0; from < puts.size(); from += 99) {
      fenced(fencingToken, puts.subList(from, Math.min(puts.size(), from + 99)), false);
    }
  }

  /**
   * Writes {@code items} in one transaction with the fence: only if no newer token than {@code
   * token} has written; {@code advance} also moves the fence to {@code token}.
   */
  private void fenced(long token, List<TransactWriteItem> items, boolean advance) {
    Map<String, AttributeValue> key = Map.of(PK, str(STATE), SK, str(FENCE));
    String condition = "attribute_not_exists(" + TOKEN + ") OR " + TOKEN + " <= :t";
    TransactWriteItem fence =
        advance
            ? TransactWriteItem.builder()
                .update(
                    u ->
                        u.tableName(table)
                            .key(key)
                            .updateExpression("SET " + TOKEN + " = :t")
                            .conditionExpression(condition)
                            .expressionAttributeValues(Map.of(":t", num(token))))
                .build()
            : TransactWriteItem.builder()
                .conditionCheck(
                    c ->
                        c.tableName(table)
                            .key(key)
                            .conditionExpression(condition)
                            .expressionAttributeValues(Map.of(":t", num(token))))
                .build();
    List<TransactWriteItem> all = new ArrayList<>(items);
    all.add(fence);
    try {
      ddb.transactWriteItems(b -> b.transactItems(all));
    } catch (TransactionCanceledException e) {
      var reasons = e.cancellationReasons();
      if (reasons.size() == all.size()
          && "ConditionalCheckFailed".equals(reasons.get(all.size() - 1).code())) {
        throw new FencedOut(
            "a newer leader has written to control table "
                + table
                + " (this replica's fencing token "
                + token
                + " is older): not acting");
      }
      throw e;
    }
  }

  /** The audit log since {@code since}, oldest first. */
  public List<AuditRecord> history(Instant since, Instant now) {
    List<AuditRecord> out = new ArrayList<>();
    for (LocalDate d = LocalDate.ofInstant(since, ZoneOffset.UTC);
        !d.isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC));
        d = d.plusDays(1)) {
      for (Map<String, AttributeValue> i : queryFrom("audit#" + d, since.toString())) {
        out.add(
            new AuditRecord(
                Instant.parse(i.get("at").s()),
                s(i, "who"),
                s(i, "what"),
                s(i, "why"),
                s(i, "before"),
                s(i, "after"),
                i.containsKey(TOKEN) ? Long.parseLong(i.get(TOKEN).n()) : 0));
      }
    }
    out.sort(Comparator.comparing(AuditRecord::at));
    return out;
  }

  /**
   * Writes {@code record} and {@code writes} in one transaction: every entry only if its version is
   * still the one expected, the record only with them. A refused entry is {@link
   * ConcurrentChangeException}, and nothing was written.
   */
  @Override
  public void commit(AuditRecord record, List<Write> writes) {
    if (writes.size() > 99) {
      throw new IllegalArgumentException(
          writes.size() + " entries in one change: a transaction holds 100 items");
    }
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(
        TransactWriteItem.builder()
            .put(
                p ->
                    p.tableName(table)
                        .item(auditItem(record))
                        .conditionExpression("attribute_not_exists(" + PK + ")"))
            .build());
    for (Write w : writes) {
      String condition = versionIs(w.expectedVersion());
      Map<String, AttributeValue> values =
          w.expectedVersion() == 0 ? Map.of() : Map.of(":v", num(w.expectedVersion()));
      items.add(
          w.entry().isPresent()
              ? TransactWriteItem.builder()
                  .put(
                      p -> {
                        p.tableName(table)
                            .item(item(w.entry().get(), w.expectedVersion()))
                            .conditionExpression(condition);
                        if (!values.isEmpty()) {
                          p.expressionAttributeValues(values);
                        }
                      })
                  .build()
              : TransactWriteItem.builder()
                  .delete(
                      d -> {
                        d.tableName(table).key(key(w.key())).conditionExpression(condition);
                        if (!values.isEmpty()) {
                          d.expressionAttributeValues(values);
                        }
                      })
                  .build());
    }
    try {
      ddb.transactWriteItems(b -> b.transactItems(items));
    } catch (TransactionCanceledException e) {
      var reasons = e.cancellationReasons();
      for (int i = 1; i < reasons.size() && i <= writes.size(); i++) {
        if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
          Write w = writes.get(i - 1);
          throw ConcurrentChangeException.since(w.key(), w.expectedVersion());
        }
      }
      throw e;
    }
  }

  /**
   * Puts one entry, without an audit record (tests, tools): only if its version is still {@code
   * expectedVersion} (0: there is none), else {@link ConcurrentChangeException}.
   *
   * @return the new version
   */
  public long put(Entry entry, long expectedVersion) {
    var request =
        PutItemRequest.builder()
            .tableName(table)
            .item(item(entry, expectedVersion))
            .conditionExpression(versionIs(expectedVersion));
    if (expectedVersion > 0) {
      request.expressionAttributeValues(Map.of(":v", num(expectedVersion)));
    }
    try {
      ddb.putItem(request.build());
    } catch (ConditionalCheckFailedException e) {
      throw ConcurrentChangeException.since(entry.key(), expectedVersion);
    }
    return expectedVersion + 1;
  }

  private static String versionIs(long expected) {
    return expected == 0 ? "attribute_not_exists(" + PK + ")" : "version = :v";
  }

  private static Map<String, AttributeValue> key(Key key) {
    return Map.of(PK, str(STATE), SK, str(key.toString()));
  }

  /** The row of {@code entry}, at the version after {@code expectedVersion}. */
  private static Map<String, AttributeValue> item(Entry entry, long expectedVersion) {
    Map<String, AttributeValue> item = new HashMap<>(key(entry.key()));
    item.put("version", num(expectedVersion + 1));
    if (entry instanceof CapacityFloor f) {
      item.put("capacity", num(f.capacity()));
      until(item, f.until());
      by(item, f.who(), f.reason());
    } else if (entry instanceof CapacityOverride o) {
      item.put("capacity", num(o.capacity()));
      until(item, o.until());
      by(item, o.who(), o.reason());
    } else if (entry instanceof Freeze f) {
      if (!f.until().equals(Instant.MAX)) {
        until(item, f.until());
      }
      by(item, f.who(), f.reason());
    } else if (entry instanceof RoutePin p) {
      item.put("region", str(p.region()));
      item.put("percent", num(p.percent()));
      until(item, p.until());
      by(item, p.who(), p.reason());
    } else if (entry instanceof Drain d) {
      item.put("since", str(d.since().toString()));
      by(item, d.who(), d.reason());
    } else if (entry instanceof LadderOrder o) {
      item.put("ladder", str(o.forced().map(Ladder::label).orElse(HOLD)));
      until(item, o.until());
      by(item, o.who(), o.reason());
    } else {
      KnownEvent e = ((AddedEvent) entry).event();
      item.put("market", str(e.market()));
      item.put("start", str(e.start().toString()));
      item.put("durationSeconds", num(e.duration().toSeconds()));
      item.put("viewers", num(e.expectedViewers()));
      item.put("prewarmSeconds", num(e.prewarmLead().toSeconds()));
      until(item, e.end());
    }
    return item;
  }

  /**
   * An entry's end; DynamoDB's TTL removes it {@link #KEEP_EXPIRED} later (kept for history until
   * then).
   */
  private static void until(Map<String, AttributeValue> item, Instant until) {
    item.put("until", str(until.toString()));
    item.put(TTL, num(until.plus(KEEP_EXPIRED).getEpochSecond()));
  }

  private static void by(Map<String, AttributeValue> item, String who, String reason) {
    item.put("reason", str(reason));
    item.put("who", str(who));
  }

  /**
   * Deletes entries whose time has passed; returns how many. Each delete holds only while the entry
   * still ends when it was read to: one extended a second ago is kept.
   */
  public int removeExpired(Instant now) {
    int removed = 0;
    for (Map<String, AttributeValue> i : query(STATE)) {
      Row row = new Row(i);
      if (List.of("floor", "freeze", "pin", "override", "event", "ladder").contains(row.kind())
          && i.containsKey("until")
          && row.instant("until").isBefore(now)) {
        try {
          ddb.deleteItem(
              b ->
                  b.tableName(table)
                      .key(Map.of(PK, i.get(PK), SK, i.get(SK)))
                      .conditionExpression("#u = :u")
                      .expressionAttributeNames(Map.of("#u", "until"))
                      .expressionAttributeValues(Map.of(":u", i.get("until"))));
          removed++;
        } catch (ConditionalCheckFailedException e) {
          // changed since the query (extended, or removed): not expired any more, or gone already
        }
      }
    }
    return removed;
  }

  private List<Map<String, AttributeValue>> query(String pk) {
    return queryFrom(pk, null);
  }

  private List<Map<String, AttributeValue>> queryFrom(String pk, String skFrom) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":pk", str(pk));
    String condition = PK + " = :pk";
    if (skFrom != null) {
      values.put(":sk", str(skFrom));
      condition += " AND " + SK + " >= :sk";
    }
    var request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression(condition)
            .expressionAttributeValues(values)
            .consistentRead(true)
            .build();
    ddb.queryPaginator(request).items().forEach(out::add);
    return out;
  }

  private static Optional<String> any(String s) {
    return ANY.equals(s) ? Optional.empty() : Optional.of(s);
  }

  private static String s(Map<String, AttributeValue> item, String key) {
    AttributeValue v = item.get(key);
    return v == null ? "" : v.s();
  }

  private static AttributeValue str(String s) {
    return AttributeValue.builder().s(s == null || s.isEmpty() ? "-" : s).build();
  }

  private static AttributeValue num(long n) {
    return AttributeValue.builder().n(Long.toString(n)).build();
  }

  /** One control-table item, read with errors that name the attribute. */
  private record Row(Map<String, AttributeValue> item) {
    String sortKey() {
      AttributeValue sk = item.get(SK);
      return sk == null || sk.s() == null ? "(no sort key)" : sk.s();
    }

    String kind() {
      return sortKey().split("#", 2)[0];
    }

    String key() {
      String[] k = sortKey().split("#", 2);
      if (k.length < 2 || k[1].isEmpty()) {
        throw new IllegalArgumentException("its key has nothing after '" + k[0] + "#'");
      }
      return k[1];
    }

    String required(String name) {
      AttributeValue v = item.get(name);
      if (v == null || v.s() == null) {
        throw new IllegalArgumentException("no text attribute '" + name + "'");
      }
      return v.s();
    }

    String text(String name) {
      AttributeValue v = item.get(name);
      return v == null || v.s() == null ? "" : v.s();
    }

    long number(String name) {
      AttributeValue v = item.get(name);
      if (v == null || v.n() == null) {
        throw new IllegalArgumentException("no number attribute '" + name + "'");
      }
      try {
        return Long.parseLong(v.n());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "attribute '" + name + "' is " + v.n() + ", not a whole number");
      }
    }

    double decimal(String name) {
      AttributeValue v = item.get(name);
      if (v == null || v.n() == null) {
        throw new IllegalArgumentException("no number attribute '" + name + "'");
      }
      return Double.parseDouble(v.n());
    }

    int integer(String name) {
      long n = number(name);
      if (n < 0 || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("attribute '" + name + "' is " + n + ", out of range");
      }
      return (int) n;
    }

    Instant instant(String name) {
      String t = required(name);
      try {
        return Instant.parse(t);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "attribute '" + name + "' is '" + t + "', not an ISO-8601 instant");
      }
    }
  }
}
