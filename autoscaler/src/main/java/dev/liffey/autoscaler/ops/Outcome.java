package dev.liffey.autoscaler.ops;

import java.util.List;

/** What an on-call action did, in the style of java-operator-sdk's {@code UpdateControl}. */
public sealed interface Outcome {
  /**
   * Done: audited, recorded and acted on.
   *
   * @param done what changed, with before and after ("scale relay eu-west-1: 4→20, held until ...")
   * @param notes what on-call should know next, one line each
   */
  record Applied(String done, String who, List<String> notes) implements Outcome {}

  /** Nothing to do, and why ("eu-west-2 is drained already"): nothing was written. */
  record NothingToDo(String why) implements Outcome {}

  /**
   * Under {@code --dry-run}: what would change (read from what is there now); nothing was written.
   */
  record WouldApply(String change) implements Outcome {}

  /** On-call did not confirm: nothing was written. */
  record NotConfirmed(String change) implements Outcome {}
}
