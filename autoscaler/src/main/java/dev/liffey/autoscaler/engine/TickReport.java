package dev.liffey.autoscaler.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one tick read, decided and did, and everything that went wrong on the way, each in one line
 * naming the input, series, row or fleet. A tick acts on what it could read; this is how the daemon
 * logs, counts and (with {@code --once}) exits on what it could not.
 *
 * @param decision what the policy decided, after the holds that missing inputs impose
 * @param why the audited reasons of what was to be done (empty when nothing was)
 * @param unread inputs that could not be read ({@code "routing weights: ..."})
 * @param refusedMetrics metric values no real edge can report, treated as missing
 * @param controlProblems control-table rows skipped, or the table read from its replica or memory
 * @param done the fleet actuations made
 * @param routed the routing change made, if any
 * @param failed actuations (or records) that failed; retried next tick
 * @param abandoned why the rest was not acted on (deadline, lease lost, fenced out), if so
 */
public record TickReport(
    Decision decision,
    String why,
    List<String> unread,
    List<String> refusedMetrics,
    List<String> controlProblems,
    List<Actuation> done,
    Optional<RoutingPlan> routed,
    List<String> failed,
    Optional<String> abandoned) {

  /** Everything was read and everything decided was done. */
  public boolean complete() {
    return problems().isEmpty();
  }

  /** Something was to be done (and audited), whether or not it all was. */
  public boolean acted() {
    return !why.isEmpty();
  }

  /** Every problem of this tick, one line each. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    unread.forEach(u -> out.add("unread " + u));
    out.addAll(refusedMetrics);
    out.addAll(controlProblems);
    failed.forEach(f -> out.add("failed " + f));
    abandoned.ifPresent(a -> out.add("abandoned " + a));
    return out;
  }
}
