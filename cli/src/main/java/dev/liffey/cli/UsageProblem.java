package dev.liffey.cli;

/** Bad input that is not a picocli parse error: one line naming the problem and the fix; exit 2. */
public final class UsageProblem extends RuntimeException {
  public UsageProblem(String message) {
    super(message, null, false, false);
  }
}
