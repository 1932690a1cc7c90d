package dev.liffey.autoscaler.engine;

import java.util.List;
import java.util.function.Supplier;

/**
 * A read of several regions where some failed: what could be read, and what could not and why.
 * Thrown by ports that read region by region, so that one region's failure takes only that region
 * out of the tick; the control loop uses {@link #partial()} and reports {@link #problems()}.
 */
public final class PartialRead extends RuntimeException {
  private final transient Object partial;
  private final List<String> problems;

  /**
   * @param partial what was read, of the type the port returns
   * @param problems one line for each read that failed ({@code "Auto Scaling groups eu-west-1:
   *     ..."})
   */
  public PartialRead(Object partial, List<String> problems) {
    super(String.join("; ", problems), null, false, false);
    this.partial = partial;
    this.problems = List.copyOf(problems);
  }

  /**
   * What {@code read} returned or, when some regions failed, what it could read: for callers that
   * learn which regions failed elsewhere (on-call's CLI, from its log of failed calls).
   */
  @SuppressWarnings("unchecked")
  public static <T> T orPartial(Supplier<T> read) {
    try {
      return read.get();
    } catch (PartialRead p) {
      return (T) p.partial();
    }
  }

  public Object partial() {
    return partial;
  }

  public List<String> problems() {
    return problems;
  }
}
