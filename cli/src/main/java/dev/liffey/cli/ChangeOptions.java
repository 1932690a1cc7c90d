package dev.liffey.cli;

import dev.liffey.autoscaler.ops.ChangeDesk;
import dev.liffey.autoscaler.ops.Outcome;
import dev.liffey.core.config.EdgeConfig;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Every change: a reason (it goes into the audit log), confirmation on a terminal (refused without
 * {@code --yes} when there is none), and {@code --dry-run} to print what would change. Runs the
 * change at a {@link ChangeDesk} and prints its {@link Outcome}.
 */
public final class ChangeOptions {
  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why: recorded in the audit log with who and when.")
  String reason;

  @Option(
      names = "--yes",
      description = "Do not ask for confirmation (required without a terminal).")
  boolean yes;

  @Option(
      names = "--dry-run",
      description = "Print what would change (read from what is there now), change nothing.")
  boolean dryRun;

  /** Rejects an empty reason (exit 2) before anything is read or changed. */
  void requireReason() {
    if (reason.isBlank()) {
      throw new UsageProblem("--reason is empty: say why, it goes into the audit log");
    }
  }

  /**
   * Runs {@code action} at a desk on the control table, as the caller AWS knows, and prints what it
   * did; closes the AWS clients.
   */
  Outcome run(
      OnCall onCall, EdgeConfig edge, PrintWriter out, Function<ChangeDesk, Outcome> action) {
    return run(onCall, edge, out, action, outcome -> {});
  }

  /**
   * As {@link #run(OnCall, EdgeConfig, PrintWriter, Function)}, then {@code then} with the AWS
   * clients still open.
   */
  Outcome run(
      OnCall onCall,
      EdgeConfig edge,
      PrintWriter out,
      Function<ChangeDesk, Outcome> action,
      Consumer<Outcome> then) {
    requireReason();
    try {
      ChangeDesk desk =
          new ChangeDesk(
              onCall.controlTable(edge),
              () -> onCall.whoAmI(edge),
              () -> Instant.now().truncatedTo(ChronoUnit.SECONDS),
              this::ask,
              dryRun,
              reason);
      Outcome outcome = action.apply(desk);
      print(outcome, out);
      then.accept(outcome);
      return outcome;
    } finally {
      onCall.close();
    }
  }

  /** The outcome in on-call's words; what came from the control table is escaped. */
  void print(Outcome outcome, PrintWriter out) {
    if (outcome instanceof Outcome.Applied a) {
      out.println(Printable.escape(a.done() + " (by " + a.who() + "): " + reason));
      a.notes().forEach(n -> out.println(Printable.escape(n)));
    } else if (outcome instanceof Outcome.NothingToDo n) {
      out.println(Printable.escape(n.why() + "; nothing changed"));
    } else if (outcome instanceof Outcome.WouldApply w) {
      out.println(Printable.escape("dry run: would " + w.change()));
    } else {
      out.println("not confirmed; nothing changed");
    }
  }

  /** True to go ahead; asks on a terminal, refuses (exit 2) without one unless --yes. */
  private boolean ask(String change) {
    if (yes) {
      return true;
    }
    var console = System.console();
    if (console == null) {
      throw new UsageProblem(
          "refusing to " + change + " without confirmation: no terminal to ask on; add --yes");
    }
    String answer = console.readLine("%s? [y/N] ", Printable.escape(change));
    return answer != null && answer.strip().equalsIgnoreCase("y");
  }
}
