package dev.liffey.cli;

import dev.liffey.core.config.EdgeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** {@code --region R --fleet F}, checked against the configuration (exit 2 with the choices). */
final class Scope {
  private Scope() {}

  static Optional<String> region(EdgeConfig config, String region) {
    if (region != null && !config.regionIds().contains(region)) {
      throw new UsageProblem(
          "unknown region '" + region + "': use one of " + String.join(", ", config.regionIds()));
    }
    return Optional.ofNullable(region);
  }

  /**
   * relay, transcode, a GPU instance type, a service name, or routing (the routed market's
   * weights).
   */
  static Optional<String> fleet(EdgeConfig config, String fleet) {
    if (fleet == null) {
      return Optional.empty();
    }
    if (fleet.equals("routing")) {
      return Optional.of(fleet);
    }
    TreeSet<String> known = new TreeSet<>(List.of("relay", "transcode", "routing"));
    config
        .regions()
        .forEach(
            r -> {
              r.transcode().forEach(t -> known.add(t.sizing().instanceType()));
              r.eks().services().forEach(s -> known.add(s.name()));
            });
    if (!known.contains(fleet)) {
      throw new UsageProblem(
          "unknown fleet '" + fleet + "': use one of " + String.join(", ", new ArrayList<>(known)));
    }
    return Optional.of(fleet);
  }

  static String describe(Optional<String> region, Optional<String> fleet) {
    return fleet.orElse("every fleet") + " in " + region.orElse("every region");
  }
}
