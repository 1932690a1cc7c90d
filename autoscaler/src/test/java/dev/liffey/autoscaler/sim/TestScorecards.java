package dev.liffey.autoscaler.sim;

import java.lang.reflect.RecordComponent;
import java.util.Map;

/**
 * Scorecards with the figures a test names and 0 for the rest, built through the record's canonical
 * constructor so that figures added to {@link Scorecard} later need no change here.
 */
final class TestScorecards {
  private TestScorecards() {}

  static Scorecard card(String policy, Map<String, Double> figures) {
    RecordComponent[] components = Scorecard.class.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      String name = components[i].getName();
      double v = figures.getOrDefault(name, 0.0);
      args[i] =
          name.equals("policy")
              ? policy
              : types[i] == long.class
                  ? (Object) (long) v
                  : types[i] == int.class
                      ? (Object) (int) v
                      : types[i] == double.class ? (Object) v : null;
    }
    try {
      return Scorecard.class.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** unserved, served and slow viewer-seconds, cost, unserved service viewer-seconds. */
  static Scorecard card(
      String policy, double unserved, double served, double slow, double costUsd, double service) {
    return card(
        policy,
        Map.of(
            "unservedViewerSeconds",
            unserved,
            "servedViewerSeconds",
            served,
            "slowViewerSeconds",
            slow,
            "costUsd",
            costUsd,
            "unservedServiceViewerSeconds",
            service));
  }
}
