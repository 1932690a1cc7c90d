package dev.liffey.edge.drain;

/**
 * The group's terminate lifecycle hook, as this instance answers it: heartbeats while it drains,
 * then CONTINUE.
 */
public interface LifecycleActions {
  /** Extends the hook's timeout by its heartbeat timeout. */
  void heartbeat();

  /** CONTINUE: the group may terminate this instance now. */
  void complete();
}
