package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState;
import java.util.List;

/**
 * The control table as on-call changes it: entries read with their versions, and changes written
 * with their audit record as one unit, each entry conditional on the version its writer saw.
 */
public interface OnCallStore {
  /** Everything on-call has said, each entry's version in {@link ControlState#versions()}. */
  ControlState read();

  /**
   * Writes {@code record} and {@code writes} together, or nothing: when any entry's version is no
   * longer the one expected, {@link ConcurrentChangeException} naming it, and neither the record
   * nor any write is kept.
   */
  void commit(AuditRecord record, List<Write> writes);
}
