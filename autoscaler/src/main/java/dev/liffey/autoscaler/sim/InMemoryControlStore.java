package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlStore;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetId;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/** The control store of a simulation: on-call's state as given, the audit log kept in memory. */
public final class InMemoryControlStore implements ControlStore {
  private volatile ControlState state;
  private final List<AuditRecord> audit = new ArrayList<>();

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
    audit.add(record);
  }

  @Override
  public synchronized void recordActions(Decision acted) {
    Map<FleetId, ControlState.LastAction> last = new HashMap<>(state.lastActions());
    acted.changes().forEach(p -> last.put(p.fleet(), new ControlState.LastAction(acted.at(), p.current(), p.target())));
    state = state.withLastActions(Map.copyOf(last));
  }

  public synchronized List<AuditRecord> auditLog() {
    return List.copyOf(audit);
  }
}
