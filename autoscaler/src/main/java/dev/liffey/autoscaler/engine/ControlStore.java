package dev.liffey.autoscaler.engine;

/**
 * The control table: on-call's overrides and the audit log. The audit record of a decision is
 * written before the decision is acted on; if it cannot be written, nothing is acted on.
 */
public interface ControlStore {
  ControlState read();

  void audit(AuditRecord record);

  /** Remembers what was just acted on (last actions, for cool-downs across restarts and leaders). */
  void recordActions(Decision acted);
}
