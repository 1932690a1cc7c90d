package dev.liffey.autoscaler.sim;

import dev.liffey.autoscaler.engine.Actuation;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlStore;
import dev.liffey.autoscaler.engine.FencedOut;
import dev.liffey.autoscaler.engine.FleetId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The control store of a simulation: on-call's state as given, the audit log kept in memory, writes
 * fenced by token as the control table fences them. Thread-safe.
 */
public final class InMemoryControlStore implements ControlStore {
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
  public synchronized void recordActions(Instant at, List<Actuation> done, long fencingToken) {
    fence(fencingToken);
    Map<FleetId, ControlState.LastAction> last = new HashMap<>(state.lastActions());
    done.stream().filter(Actuation::changesDesired).forEach(a ->
        last.put(a.fleet(), new ControlState.LastAction(at, a.fromDesired(), a.toDesired())));
    state = state.withLastActions(Map.copyOf(last));
  }

  private void fence(long token) {
    if (token < newestToken) {
      throw new FencedOut("fencing token " + token + " is older than " + newestToken + ", which has written");
    }
    newestToken = token;
  }

  public synchronized List<AuditRecord> auditLog() {
    return List.copyOf(audit);
  }
}
