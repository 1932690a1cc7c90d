package dev.liffey.autoscaler.ops;

import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.Clock;
import dev.liffey.autoscaler.engine.ControlState;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Where every on-call action goes through the same steps, written once: look (the state, with the
 * versions the change will be conditional on) -> confirm -> audit and record (one conditional
 * write: both or neither) -> act. Under {@code --dry-run} it stops after looking. One desk per
 * invocation: one caller, one reason.
 */
public final class ChangeDesk {
  /** Asks on-call to go ahead with a change, shown in its words; false to stop. */
  @FunctionalInterface
  public interface Confirmation {
    boolean confirm(String change);
  }

  /** The caller's identity, as the audit log records it ("who"). */
  @FunctionalInterface
  public interface Caller {
    String who();
  }

  private final OnCallStore store;
  private final Caller caller;
  private final Clock clock;
  private final Confirmation confirmation;
  private final boolean dryRun;
  private final String reason;
  private String who;

  public ChangeDesk(
      OnCallStore store,
      Caller caller,
      Clock clock,
      Confirmation confirmation,
      boolean dryRun,
      String reason) {
    this.store = store;
    this.caller = caller;
    this.clock = clock;
    this.confirmation = confirmation;
    this.dryRun = dryRun;
    this.reason = reason;
  }

  /**
   * One change, decided from what was read.
   *
   * @param verb the audit record's "what" ({@code scale}, {@code drain}, ...)
   * @param change what will change, as on-call confirms it ("set relay eu-west-1 from 4 to 20 ...")
   * @param done what changed, as it is reported afterwards
   * @param before the audit record's "before"
   * @param after the audit record's "after"
   * @param writes the control-table entries to write, given who is writing them, each conditional
   *     on the version read
   * @param act what to do in AWS or Kubernetes once recorded (nothing, for a change the autoscaler
   *     carries out)
   * @param notes what on-call should know once done (a mutable list {@code act} may add to: what it
   *     chose, such as which relays a scale-in removed)
   */
  public record Change(
      String verb,
      String change,
      String done,
      String before,
      String after,
      Function<String, List<Write>> writes,
      Runnable act,
      List<String> notes) {}

  /** The control table now: what the change is decided on, and the versions its writes expect. */
  public ControlState look() {
    return store.read();
  }

  public Instant now() {
    return clock.now();
  }

  public String reason() {
    return reason;
  }

  /** Who is acting (asked once). */
  public synchronized String who() {
    if (who == null) {
      who = caller.who();
    }
    return who;
  }

  /** Confirms, audits and records {@code c} in one conditional write, then acts. */
  public Outcome apply(Change c) {
    if (dryRun) {
      return new Outcome.WouldApply(c.change());
    }
    if (!confirmation.confirm(c.change())) {
      return new Outcome.NotConfirmed(c.change());
    }
    String by = who();
    try {
      store.commit(
          new AuditRecord(clock.now(), by, c.verb(), reason, c.before(), c.after()),
          c.writes().apply(by));
    } catch (ConcurrentChangeException e) {
      throw new ConcurrentChangeException(e.key(), changedMeanwhile(e.key()));
    }
    c.act().run();
    return new Outcome.Applied(c.done(), by, c.notes());
  }

  /** Who changed what since on-call looked, and what to do: nothing was written. */
  private String changedMeanwhile(ControlState.Key key) {
    String now =
        store
            .read()
            .entry(key)
            .map(Entries::describe)
            .map(d -> "it is now: " + d)
            .orElse("it has been removed ('liffey history' says by whom)");
    return "not changed: "
        + key
        + " was changed by someone else since you looked; "
        + now
        + ". Nothing was written: look again ('liffey status') and run the command again if it is still needed";
  }
}
