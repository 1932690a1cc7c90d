package dev.liffey.autoscaler.engine.plan;

import dev.liffey.autoscaler.engine.ControlState.LadderOrder;
import dev.liffey.autoscaler.engine.ControlState.LaddersInForce;
import dev.liffey.autoscaler.engine.FleetCatalog;
import dev.liffey.autoscaler.engine.FleetKind;
import dev.liffey.autoscaler.engine.FleetSpec;
import dev.liffey.autoscaler.engine.FleetState;
import dev.liffey.autoscaler.engine.Grouped;
import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.autoscaler.engine.Observation;
import dev.liffey.autoscaler.engine.Sample;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.media.Ladder;
import dev.liffey.core.media.LadderMix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses each region's ladders before any stream waits for a transcoder: every stream on the full
 * ladder while the GPUs in service have a slot for each; when they do not, the fewest streams on a
 * shorter ladder (720/480/360 takes 0.43 of a slot, 480/360 0.18: {@link Ladder#slotShare}) so that
 * all of them fit; only when every stream on the shortest still does not fit does one wait. The
 * full ladder comes back once the streams fit with {@link #RESTORE_SLOTS} to spare, so a region at
 * the edge does not swap ladders every tick. Scaling the GPUs is the capacity planner's work; this
 * covers the minutes until they are in service. The plan in force is the one in the control store,
 * which the transcoder agents read.
 */
public final class LadderPlanner {
  /**
   * Free full-ladder slots a shortened region needs before its streams go back to the full ladder:
   * one, so the next stream to go live still finds a full ladder's room.
   */
  static final int RESTORE_SLOTS = 1;

  private static final double EPSILON = 1e-9;

  private final EdgeConfig config;
  private final FleetCatalog catalog;
  private final Duration staleAfter;

  public LadderPlanner(EdgeConfig config, FleetCatalog catalog) {
    this.config = config;
    this.catalog = catalog;
    this.staleAfter = config.scaling().staleAfter();
  }

  /**
   * A plan for every region whose streams and transcoder groups could be read this tick; the others
   * keep the plan in force. Each is compared with the plan in force as the control store has it
   * (what the transcoder agents apply), so a plan that could not be written is made again, and a
   * new leader keeps the last one's hysteresis. On-call's order comes first: a forced ladder for
   * every stream, or a hold (the plan in force stays, nothing written).
   */
  public List<LadderPlan> plan(Observation obs) {
    List<LadderPlan> out = new ArrayList<>();
    for (String region : config.regionIds()) {
      List<FleetSpec> pools = catalog.inRegion(region, FleetKind.TRANSCODE);
      Sample streams = obs.metrics().streams().get(region);
      if (pools.isEmpty()
          || pools.stream().noneMatch(p -> obs.fleets().containsKey(p.id()))
          || streams == null
          || streams.staleAt(obs.now(), staleAfter)) {
        continue; // nothing to decide on: the agents keep the plan in force
      }
      double slots = 0;
      for (FleetSpec pool : pools) {
        FleetState state = obs.fleets().get(pool.id());
        slots += state == null ? 0 : (double) state.inService() * pool.unitCapacity();
      }
      LadderPlan before =
          Optional.ofNullable(obs.control().ladders().get(region))
              .map(LaddersInForce::plan)
              .orElse(null);
      int live = (int) Math.round(streams.value());
      Optional<LadderOrder> order = obs.control().ladderOrderFor(region, obs.now());
      LadderPlan plan =
          order.isPresent()
              ? ordered(region, live, slots, before, order.get())
              : planned(region, live, slots, before);
      out.add(plan);
    }
    return out;
  }

  /** The engine's own plan: every stream fits, on the fewest shortened ladders. */
  private static LadderPlan planned(String region, int live, double slots, LadderPlan before) {
    boolean shortened = before != null && !before.full();
    Mix mix = mix(live, slots);
    boolean deferred = shortened && mix.full(live) && live > slots - RESTORE_SLOTS;
    if (deferred) {
      mix = mix(live, slots - RESTORE_SLOTS); // not yet: the full ladder needs a slot to spare
    }
    return new LadderPlan(
        region,
        live,
        mix.counts,
        mix.waiting,
        slots,
        changes(before, mix, Optional.empty()),
        reason(region, live, slots, mix, shortened, deferred));
  }

  /**
   * On-call's order: a forced ladder for every stream that fits on it (the rest wait, as on-call
   * chose), or the plan in force held as it is.
   */
  private static LadderPlan ordered(
      String region, int live, double slots, LadderPlan before, LadderOrder order) {
    String by = " by " + order.who() + " until " + order.until() + " (" + order.reason() + ")";
    if (order.forced().isEmpty()) {
      Mix wanted = mix(live, slots);
      LadderPlan held =
          before != null
              ? before
              : new LadderPlan(region, live, Map.of(Ladder.FULL, live), 0, 0, false, "");
      return new LadderPlan(
          region,
          held.streams(),
          held.byLadder(),
          held.waiting(),
          slots,
          false,
          "ladders "
              + region
              + " held"
              + by
              + "; unheld: "
              + mixText(live, slots, wanted, false, false),
          held.forced());
    }
    Ladder ladder = order.forced().get();
    int fit = Math.min(live, (int) Math.floor(slots / ladder.slotShare() + EPSILON));
    Map<Ladder, Integer> counts = new EnumMap<>(Ladder.class);
    counts.put(ladder, fit);
    Mix mix = new Mix(counts, live - fit);
    return new LadderPlan(
        region,
        live,
        mix.counts,
        mix.waiting,
        slots,
        changes(before, mix, Optional.of(ladder)),
        "ladders "
            + region
            + ": every stream on "
            + ladder.label()
            + ", forced"
            + by
            + (mix.waiting > 0 ? "; " + mix.waiting + " waiting for a slot" : "")
            + String.format(Locale.ROOT, " (%,.0f transcoder slots for %,d streams)", slots, live),
        Optional.of(ladder));
  }

  /**
   * A region with no plan in force yet gets its first one, full or not: its agents read it. Every
   * stream on the full ladder stays that, whatever the number of streams: not a change. A forced
   * ladder and the engine's own are never the same plan (the agents shorten only the engine's).
   */
  private static boolean changes(LadderPlan before, Mix mix, Optional<Ladder> forced) {
    if (before == null || !before.forced().equals(forced)) {
      return true;
    }
    int streams = mix.counts.values().stream().mapToInt(Integer::intValue).sum() + mix.waiting;
    if (before.full() && mix.full(streams)) {
      return false;
    }
    return !mix.counts.equals(before.byLadder()) || mix.waiting != before.waiting();
  }

  /** {@link LadderMix#fit} in whole streams: a stream shortened or waiting counts whole. */
  static Mix mix(int streams, double slots) {
    LadderMix m = LadderMix.fit(streams, slots);
    int waiting = Math.min(streams, whole(m.waiting()));
    int shortest = Math.min(streams - waiting, whole(m.on(Ladder.FROM_480)));
    int shorter = Math.min(streams - waiting - shortest, whole(m.on(Ladder.FROM_720)));
    int full = streams - waiting - shortest - shorter;
    Map<Ladder, Integer> counts = new EnumMap<>(Ladder.class);
    counts.put(Ladder.FULL, full);
    counts.put(Ladder.FROM_720, shorter);
    counts.put(Ladder.FROM_480, shortest);
    counts.values().removeIf(n -> n == 0);
    if (counts.isEmpty()) {
      counts.put(Ladder.FULL, 0);
    }
    return new Mix(counts, waiting);
  }

  private static int whole(double streams) {
    return (int) Math.ceil(streams - EPSILON);
  }

  record Mix(Map<Ladder, Integer> counts, int waiting) {
    boolean full(int streams) {
      return waiting == 0 && counts.getOrDefault(Ladder.FULL, 0) == streams;
    }
  }

  private static String reason(
      String region, int streams, double slots, Mix mix, boolean wasShortened, boolean deferred) {
    return "ladders " + region + ": " + mixText(streams, slots, mix, wasShortened, deferred);
  }

  private static String mixText(
      int streams, double slots, Mix mix, boolean wasShortened, boolean deferred) {
    String room = Grouped.of(slots) + " transcoder slots for " + Grouped.of(streams) + " streams";
    if (mix.full(streams)) {
      return wasShortened
          ? "every stream on the full ladder again (" + room + ")"
          : "every stream on the full ladder (" + room + ")";
    }
    List<String> parts = new ArrayList<>();
    mix.counts.forEach(
        (ladder, n) -> {
          if (n > 0) {
            parts.add(n + " on " + ladder.label());
          }
        });
    if (mix.waiting > 0) {
      parts.add(mix.waiting + " waiting for a slot");
    }
    return String.join(", ", parts)
        + " ("
        + room
        + (deferred ? ", " + RESTORE_SLOTS + " to spare before the full ladder returns" : "")
        + ")";
  }
}
