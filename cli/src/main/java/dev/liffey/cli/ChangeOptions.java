package dev.liffey.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * Every change: a reason (it goes into the audit log), confirmation on a terminal (refused without
 * {@code --yes} when there is none), and {@code --dry-run} to print what would change.
 */
public final class ChangeOptions {
  @Option(names = "--reason", paramLabel = "TEXT", required = true,
      description = "Why: recorded in the audit log with who and when.")
  String reason;

  @Option(names = "--yes", description = "Do not ask for confirmation (required without a terminal).")
  boolean yes;

  @Option(names = "--dry-run", description = "Print what would change, change nothing.")
  boolean dryRun;

  /** Rejects an empty reason (exit 2) before anything is read or changed. */
  void requireReason() {
    if (reason.isBlank()) {
      throw new UsageProblem("--reason is empty: say why, it goes into the audit log");
    }
  }

  /** True to go ahead; asks on a terminal, refuses (exit 2) without one unless --yes. */
  boolean confirm(String change, PrintWriter out) {
    requireReason();
    if (dryRun) {
      out.println("dry run: would " + change);
      return false;
    }
    if (yes) {
      return true;
    }
    var console = System.console();
    if (console == null) {
      throw new UsageProblem("refusing to " + change + " without confirmation: no terminal to ask on; add --yes");
    }
    String answer = console.readLine("%s? [y/N] ", change);
    return answer != null && answer.strip().equalsIgnoreCase("y");
  }
}
