package dev.liffey.autoscaler.engine;

import java.time.Instant;
import java.util.List;

/**
 * The control table: on-call's overrides and the audit log. The audit record of a decision is
 * written before the decision is acted on; if it cannot be written, nothing is acted on. Writes
 * that carry a fencing token (see {@link Fence}) are refused with {@link FencedOut} once a newer
 * token has written.
 */
public interface ControlStore {
  /**
   * What on-call has said; malformed rows are skipped and named in {@link ControlState#problems()}.
   */
  ControlState read();

  /** Appends {@code record}; refused ({@link FencedOut}) if a newer fencing token has written. */
  void audit(AuditRecord record);

  /**
   * Remembers what was just acted on (last actions, for cool-downs across restarts and leaders);
   * refused ({@link FencedOut}) if a newer fencing token than {@code fencingToken} has written.
   */
  void recordActions(Instant at, List<Actuation> done, long fencingToken);

  /**
   * Writes the ladders each region's streams now get, where they change: the transcoder agents of
   * the region read and apply them. Refused ({@link FencedOut}) if a newer fencing token than
   * {@code fencingToken} has written.
   */
  void recordLadders(Instant at, List<LadderPlan> plans, long fencingToken);
}
