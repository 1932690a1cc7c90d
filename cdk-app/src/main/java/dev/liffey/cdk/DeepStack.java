package dev.liffey.cdk;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs CDK work on a thread with a deep stack. jsii answers each callback into Java from inside the
 * call that asked for it, so one synthesis nests a level for every callback it makes: here {@code
 * RelayStack.allocateLogicalId}, once for each element of a relay stack, about 500 a region. A
 * default thread stack (1 MiB) held three regions and overflowed at four ({@code
 * StackOverflowError} in {@code JsiiRuntime.processCallbackResponse}, found at stop 70 with Paris
 * added). The stack below is reserved, not committed: memory is only what the nesting uses, about
 * 0.7 KiB a callback.
 */
public final class DeepStack {
  /** Room for about 700,000 nested callbacks: a thousand regions' relay stacks. */
  static final long STACK_BYTES = 512L << 20;

  private DeepStack() {}

  /**
   * {@code work}'s result, computed on a thread of {@link #STACK_BYTES}; its exception rethrown.
   */
  public static <T> T call(Callable<T> work) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                result.set(work.call());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "cdk-synth",
            STACK_BYTES);
    thread.start();
    thread.join();
    Throwable t = failure.get();
    if (t instanceof Exception e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return result.get();
  }
}
