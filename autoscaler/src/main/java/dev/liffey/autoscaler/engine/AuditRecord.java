package dev.liffey.autoscaler.engine;

import java.time.Instant;

/**
 * Who did what, why, when, and what it was before and after.
 *
 * @param fencingToken the autoscaler's lease transition count when it wrote this (see {@link
 *     Fence}); 0 for on-call's records and replicas without leader election
 */
public record AuditRecord(
    Instant at,
    String who,
    String what,
    String why,
    String before,
    String after,
    long fencingToken) {

  /** A record that carries no fencing token (on-call's). */
  public AuditRecord(Instant at, String who, String what, String why, String before, String after) {
    this(at, who, what, why, before, after, 0);
  }
}
