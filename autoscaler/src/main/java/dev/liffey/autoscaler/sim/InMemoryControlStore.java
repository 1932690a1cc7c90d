package dev.liffey.autoscaler.sim;

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
import dev.liffey.autoscaler.engine.ControlState.RoutePin;
import dev.liffey.autoscaler.engine.ControlStore;
import dev.liffey.autoscaler.engine.FencedOut;
import dev.liffey.autoscaler.engine.FleetId;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.ops.ConcurrentChangeException;
import dev.liffey.autoscaler.ops.OnCallStore;
import dev.liffey.autoscaler.ops.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The control store of a simulation: on-call's state as given, the audit log kept in memory, writes
 * fenced by token and on-call's changes conditional on versions, as the control table does them.
 * Thread-safe.
 */
public final class InMemoryControlStore implements ControlStore, OnCallStore {
  private volatile ControlState state;
  private final List<AuditRecord> audit = new ArrayList<>();
  private long newestToken;

  public InMemoryControlStore(ControlState state) {
    this.state = state;
  }

  @Override
  public ControlState read() {
    return state;
  }

  public void set(ControlState state) {
    this.state = state;
  }

  @Override
  public synchronized void audit(AuditRecord record) {
    fence(record.fencingToken());
    audit.add(record);
  }

  @Override
  public synchronized void commit(AuditRecord record, List<Write> writes) {
    for (Write w : writes) {
      if (state.version(w.key()) != w.expectedVersion()) {
        throw ConcurrentChangeException.since(w.key(), w.expectedVersion());
      }
    }
    audit(record);
    List<Entry> entries = new ArrayList<>(state.entries());
    Map<Key, Long> versions = new HashMap<>(state.versions());
    for (Write w : writes) {
      entries.removeIf(e -> e.key().equals(w.key()));
      w.entry()
          .ifPresentOrElse(
              e -> {
                entries.add(e);
                versions.put(w.key(), w.expectedVersion() + 1);
              },
              () -> versions.remove(w.key()));
    }
    state =
        new ControlState(
            of(entries, CapacityFloor.class),
            of(entries, Freeze.class),
            of(entries, RoutePin.class),
            of(entries, CapacityOverride.class),
            of(entries, Drain.class),
            of(entries, AddedEvent.class).stream().map(AddedEvent::event).toList(),
            state.lastActions(),
            state.problems(),
            Map.copyOf(versions),
            of(entries, ControlState.LadderOrder.class),
            state.ladders());
  }

  private static <T extends Entry> List<T> of(List<Entry> entries, Class<T> kind) {
    return entries.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  @Override
  public synchronized void recordActions(Instant at, List<Actuation> done, long fencingToken) {
    fence(fencingToken);
    Map<FleetId, ControlState.LastAction> last = new HashMap<>(state.lastActions());
    done.stream()
        .filter(Actuation::changesDesired)
        .forEach(
            a ->
                last.put(
                    a.fleet(), new ControlState.LastAction(at, a.fromDesired(), a.toDesired())));
    state = state.withLastActions(Map.copyOf(last));
  }

  @Override
  public synchronized void recordLadders(Instant at, List<LadderPlan> plans, long fencingToken) {
    fence(fencingToken);
    Map<String, ControlState.LaddersInForce> ladders = new HashMap<>(state.ladders());
    plans.forEach(p -> ladders.put(p.region(), new ControlState.LaddersInForce(at, p)));
    state = state.withLadders(ladders);
  }

  private void fence(long token) {
    if (token < newestToken) {
      throw new FencedOut(
          "fencing token " + token + " is older than " + newestToken + ", which has written");
    }
    newestToken = token;
  }

  public synchronized List<AuditRecord> auditLog() {
    return List.copyOf(audit);
  }
}
