package dev.liffey.autoscaler.sim;

/** How the AWS baselines route the routed market's viewers in a simulation. */
public enum BaselineRouting {
  /** The configured weights, never changed: what a platform without Liffey runs. */
  FIXED,
  /** Liffey's router on top of the baseline's own capacity decisions. */
  LIFFEY;

  /** By its command-line name, {@code fixed} or {@code liffey}. */
  public static BaselineRouting named(String name) {
    for (BaselineRouting r : values()) {
      if (r.cliName().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown baseline routing '" + name + "': use fixed or liffey");
  }

  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
