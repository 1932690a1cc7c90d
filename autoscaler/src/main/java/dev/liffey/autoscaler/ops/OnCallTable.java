package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.AuditRecord;
import java.time.Instant;
import java.util.List;

/**
 * The control table as on-call's tool uses it: its entries and changes, and the audit log to read
 * back.
 */
public interface OnCallTable extends OnCallStore {
  /** The audit log from {@code since} to {@code now}, oldest first. */
  List<AuditRecord> history(Instant since, Instant now);
}
