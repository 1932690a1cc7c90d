package dev.liffey.autoscaler.sim;

import java.util.Arrays;

/**
 * The viewers on each relay in service of one group, as the packing edge places them (the agent's
 * {@code --pack-to}): a join goes to the fullest relay still below the pack target, and only when
 * every relay is at it do joins spread, as the load balancer sends them, evenly over the relays
 * with room. Sessions end alike on every relay. A scale-in takes the emptiest relay, so relays
 * beyond what the viewers need leave holding nobody. Not thread-safe.
 */
final class PackedLoad {
  /** What is left of a sum of viewer fractions below this is rounding, not a viewer. */
  private static final double ROUNDING = 1e-9;

  private final double capacity;
  private double[] viewers = new double[8];
  private int relays;

  /**
   * @param capacity viewers one relay holds
   */
  PackedLoad(double capacity) {
    this.capacity = capacity;
  }

  /** {@code n} relays in service, nobody on them. */
  void reset(int n) {
    relays = 0;
    for (int i = 0; i < n; i++) {
      added();
    }
  }

  /** A relay came into service, empty. */
  void added() {
    if (relays == viewers.length) {
      viewers = Arrays.copyOf(viewers, relays * 2);
    }
    viewers[relays++] = 0;
  }

  /** Takes the emptiest relay out of service: the viewers on it. */
  double removeEmptiest() {
    if (relays == 0) {
      return 0;
    }
    int emptiest = 0;
    for (int i = 1; i < relays; i++) {
      if (viewers[i] < viewers[emptiest]) {
        emptiest = i;
      }
    }
    double on = viewers[emptiest];
    viewers[emptiest] = viewers[--relays];
    return on;
  }

  /**
   * One step: {@code retained} of every relay's viewers are still watching, and then the relays
   * hold {@code total} (the group's share of the region's audience): the joins fill the fullest
   * relay below {@code packTo} first, then the next; beyond that they spread evenly over the relays
   * with room. Fewer than the sessions left (capacity that went under them): every relay loses
   * alike.
   */
  void settle(double total, double retained, double packTo) {
    double sum = 0;
    for (int i = 0; i < relays; i++) {
      viewers[i] *= retained;
      sum += viewers[i];
    }
    if (total < sum - ROUNDING) {
      double keep = sum > 0 ? Math.max(0, total) / sum : 0;
      for (int i = 0; i < relays; i++) {
        viewers[i] *= keep;
      }
      return;
    }
    double joins = total - sum;
    if (joins <= ROUNDING || relays == 0) {
      return;
    }
    Arrays.sort(viewers, 0, relays); // emptiest first: the fullest below the target is the last
    double target = Math.min(packTo, capacity);
    for (int i = relays - 1; i >= 0 && joins > ROUNDING; i--) {
      double room = target - viewers[i];
      if (room > 0) {
        double in = Math.min(room, joins);
        viewers[i] += in;
        joins -= in;
      }
    }
    spread(joins);
  }

  /**
   * Joins beyond the pack target: an equal share to every relay with room, none past full (a full
   * relay's share goes to the others).
   */
  private void spread(double joins) {
    Arrays.sort(viewers, 0, relays);
    // The fullest first: the least room, so what it cannot take is shared by the rest.
    for (int i = relays - 1; i >= 0 && joins > ROUNDING; i--) {
      double in = Math.min(Math.max(0, capacity - viewers[i]), joins / (i + 1));
      viewers[i] += in;
      joins -= in;
    }
  }

  /**
   * Relays with at least one viewer on them: a relay's viewers are a sum of flows, and one with
   * less than a viewer left is empty (a scale-in lets it go at once).
   */
  int holdingViewers() {
    int n = 0;
    for (int i = 0; i < relays; i++) {
      if (viewers[i] >= 1) {
        n++;
      }
    }
    return n;
  }

  /** Relays in service. */
  int relays() {
    return relays;
  }

  /** Viewers on the relays in service. */
  double viewers() {
    double sum = 0;
    for (int i = 0; i < relays; i++) {
      sum += viewers[i];
    }
    return sum;
  }

  /**
   * The sum over the relays of their viewers squared: divided by a relay's capacity and by the
   * viewers, the utilization of the relay the average viewer is on.
   */
  double squares() {
    double sum = 0;
    for (int i = 0; i < relays; i++) {
      sum += viewers[i] * viewers[i];
    }
    return sum;
  }

  /**
   * The utilization the viewers of the relays taking joins are at, as the edge publishes it: the
   * relays filled no further than {@code packTo} (packing fills one after another up to it); with
   * every relay past it, those with room. Over the viewers they hold: NaN when they hold none
   * (nobody there to measure) or every relay is full (none takes a join).
   */
  double joinUtilization(double packTo) {
    double target = Math.min(packTo, capacity);
    boolean anyWithin = false;
    for (int i = 0; i < relays; i++) {
      if (viewers[i] <= target + ROUNDING) {
        anyWithin = true;
        break;
      }
    }
    double limit = anyWithin ? target + ROUNDING : capacity - ROUNDING;
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < relays; i++) {
      if (anyWithin ? viewers[i] <= limit : viewers[i] < limit) {
        sum += viewers[i];
        squares += viewers[i] * viewers[i];
      }
    }
    return sum >= 1 ? squares / capacity / sum : Double.NaN;
  }

  /** The viewers on each relay, emptiest first (for tests). */
  double[] perRelay() {
    double[] out = Arrays.copyOf(viewers, relays);
    Arrays.sort(out);
    return out;
  }
}
