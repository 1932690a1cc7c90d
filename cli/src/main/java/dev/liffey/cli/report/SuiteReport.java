package dev.liffey.cli.report;

import dev.liffey.autoscaler.engine.policy.LiffeyPolicy;
import dev.liffey.autoscaler.engine.policy.OraclePolicy;
import dev.liffey.autoscaler.engine.policy.TargetTrackingPolicy;
import dev.liffey.autoscaler.sim.FamilySummary;
import dev.liffey.autoscaler.sim.Policies;
import dev.liffey.autoscaler.sim.Ratio;
import dev.liffey.autoscaler.sim.Replay;
import dev.liffey.autoscaler.sim.ScenarioFamilies;
import dev.liffey.autoscaler.sim.SeedRange;
import dev.liffey.autoscaler.sim.SuiteCase;
import dev.liffey.autoscaler.sim.SuiteRatio;
import dev.liffey.autoscaler.sim.SuiteTarget;
import dev.liffey.autoscaler.sim.SuiteTarget.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The robustness suite's verdict, per family, for people (a text block per family, or one markdown
 * table) and for machines (a JSON document): the median, p90 and worst of each {@link SuiteRatio},
 * each target met or missed (with the seeds that missed it), the worst case of each ratio named,
 * and which policies were not run.
 */
public final class SuiteReport {
  /**
   * An oracle that moves joins off incidents, judged in Liffey's place on the cost target: where it
   * misses it too, no policy keeping the headroom (and, for the reactive one, without foresight)
   * meets both the slow and the cost target.
   *
   * @param json the family's field listing the cost misses it shares
   * @param words what it does, for the footer
   */
  private record ReroutingBound(String policy, String json, String words) {}

  private static final List<ReroutingBound> REROUTING_BOUNDS =
      List.of(
          new ReroutingBound(
              OraclePolicy.REROUTING_AT_TARGET_NAME,
              "costMissedByReroutingAtTargetToo",
              "moving joins off every incident at the target utilization, knowing the trace"),
          new ReroutingBound(
              OraclePolicy.REACTIVE_REROUTING_NAME,
              "costMissedByReactiveReroutingToo",
              "the same, reacting: each incident seen a metrics period in, the weights in force a"
                  + " DNS delay later"));

  private final List<FamilySummary> families;
  private final List<String> policies;
  private final SeedRange seeds;

  /** How the traces were replayed ({@link dev.liffey.autoscaler.sim.SuiteRunner#replaying}). */
  private final Replay replay;

  public SuiteReport(
      List<FamilySummary> families, List<String> policies, SeedRange seeds, Replay replay) {
    this.families = List.copyOf(families);
    this.policies = List.copyOf(policies);
    this.seeds = seeds;
    this.replay = replay;
  }

  /** Every target met on every family and seed (targets that could not be judged aside). */
  public boolean met() {
    return families.stream().allMatch(FamilySummary::met);
  }

  /** The baselines the ratios compare against that this run did not have. */
  public List<String> notRun() {
    return Stream.concat(
            Stream.of(
                TargetTrackingPolicy.NAME,
                OraclePolicy.NAME,
                OraclePolicy.AT_TARGET_NAME,
                OraclePolicy.REACTIVE_NAME,
                OraclePolicy.REROUTING_NAME,
                OraclePolicy.REROUTING_AT_TARGET_NAME,
                OraclePolicy.REACTIVE_REROUTING_NAME),
            Stream.concat(
                SuiteRatio.AWS_BASELINES.stream(), Stream.of(LiffeyPolicy.FIXED_ROUTING_NAME)))
        .filter(p -> !policies.contains(p))
        .toList();
  }

  /**
   * A block per family: each ratio's median, p90 and worst (with its seed) and limit, then the
   * verdict.
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    int width = Stream.of(SuiteRatio.values()).mapToInt(r -> r.label().length()).max().orElse(0);
    for (FamilySummary f : families) {
      out.append(
          String.format(Locale.ROOT, "%s (%s): %s%n", f.family(), seeds.words(), verdict(f)));
      out.append(
          String.format(
              Locale.ROOT,
              "  %-" + width + "s %12s %12s %18s  %s%n",
              "ratio",
              "median",
              "p90",
              "worst (seed)",
              "limit"));
      for (SuiteRatio r : SuiteRatio.values()) {
        Optional<FamilySummary.Spread> s = f.spread(r);
        out.append(
            String.format(
                Locale.ROOT,
                "  %-" + width + "s %12s %12s %18s  %s%n",
                r.label(),
                s.map(x -> x.median().render(r.percent())).orElse("n/a"),
                s.map(x -> x.p90().render(r.percent())).orElse("n/a"),
                s.map(x -> x.worst().render(r.percent()) + " (" + x.worstSeed() + ")")
                    .orElse("n/a"),
                limit(r)));
      }
      out.append('\n');
    }
    return out.append(footer()).toString();
  }

  /**
   * One markdown table, a row per family; each cell "median / p90 / worst (seed)", then the footer.
   */
  public String markdown() {
    StringBuilder md = new StringBuilder("| family |");
    for (SuiteRatio r : SuiteRatio.values()) {
      md.append(' ')
          .append(r.label())
          .append(limit(r).isEmpty() ? "" : " (" + limit(r) + ")")
          .append(" |");
    }
    md.append(" verdict |\n| --- |")
        .append(" ---: |".repeat(SuiteRatio.values().length))
        .append(" --- |\n");
    for (FamilySummary f : families) {
      md.append("| ").append(f.family()).append(" |");
      for (SuiteRatio r : SuiteRatio.values()) {
        md.append(' ')
            .append(f.spread(r).map(s -> cell(s, r.percent())).orElse("n/a"))
            .append(" |");
      }
      md.append(' ').append(f.met() ? verdict(f) : "**" + verdict(f) + "**").append(" |\n");
    }
    return md.append('\n').append(footer()).toString();
  }

  /**
   * The whole run for machines: every family's spreads and verdicts, and every seed's scorecards.
   */
  public Map<String, Object> json() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("seeds", seeds.count());
    doc.put("firstSeed", seeds.first());
    doc.put("lastSeed", seeds.last());
    doc.putAll(replay.json());
    doc.put("policies", policies);
    doc.put("notRun", notRun());
    Map<String, Object> targets = new LinkedHashMap<>();
    for (SuiteTarget t : SuiteTarget.values()) {
      targets.put(t.key(), t.statement());
    }
    doc.put("targets", targets);
    doc.put("met", met());
    doc.put("slowFloorReported", SuiteRatio.slowFloorReported());
    List<Map<String, Object>> fams = new ArrayList<>();
    for (FamilySummary f : families) {
      Map<String, Object> fam = new LinkedHashMap<>();
      fam.put("family", f.family());
      fam.put("summary", summary(f.family()));
      fam.put("met", f.met());
      Map<String, Object> verdicts = new LinkedHashMap<>();
      Map<String, Object> missed = new LinkedHashMap<>();
      for (SuiteTarget t : SuiteTarget.values()) {
        verdicts.put(t.key(), word(f.verdict(t)));
        missed.put(t.key(), f.missedSeeds(t));
      }
      fam.put("verdicts", verdicts);
      fam.put("missedSeeds", missed);
      if (reactiveRun()) {
        Map<String, Object> too = new LinkedHashMap<>();
        for (SuiteTarget t : reactiveTargets()) {
          too.put(t.key(), f.missedToo(t, OraclePolicy.REACTIVE_NAME));
        }
        fam.put("missedByReactiveOracleToo", too);
      }
      if (reroutingRun()) {
        fam.put("costMissedWithinReroutingOracle", costMissesWithinRerouting(f));
      }
      for (ReroutingBound b : reroutingBoundsRun()) {
        fam.put(b.json(), f.missedToo(SuiteTarget.COST, b.policy()));
      }
      if (!othersReacting().isEmpty()) {
        fam.put("costMissedAvoidedBy", seedsBy(f.costMissesAvoided()));
        fam.put("outdoneBy", seedsBy(f.outdone()));
      }
      Map<String, Object> ratios = new LinkedHashMap<>();
      for (SuiteRatio r : SuiteRatio.values()) {
        Map<String, Object> spread = new LinkedHashMap<>();
        f.spread(r)
            .ifPresentOrElse(
                s -> {
                  spread.put("median", json(s.median()));
                  spread.put("p90", json(s.p90()));
                  spread.put("worst", json(s.worst()));
                  spread.put("worstSeed", s.worstSeed());
                },
                () -> spread.put("notRun", true));
        r.limit().ifPresent(l -> spread.put("limit", l));
        ratios.put(r.key(), spread);
      }
      fam.put("ratios", ratios);
      List<Map<String, Object>> runs = new ArrayList<>();
      for (SuiteCase c : f.cases()) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seed", c.seed());
        run.put("parameters", c.parameters());
        run.putAll(new TraceJudgement(c).json());
        run.put("results", List.copyOf(c.cards().values()));
        runs.add(run);
      }
      fam.put("runs", runs);
      fams.add(fam);
    }
    doc.put("families", fams);
    List<Map<String, Object>> worst = new ArrayList<>();
    for (SuiteRatio r : SuiteRatio.values()) {
      worst(r)
          .ifPresent(
              c -> {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("ratio", r.key());
                w.put("family", c.family());
                w.put("seed", c.seed());
                w.put("value", json(c.ratio(r).orElseThrow()));
                w.put("parameters", c.parameters());
                worst.add(w);
              });
    }
    doc.put("worst", worst);
    return doc;
  }

  static Map<String, Object> json(Ratio r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("liffey", r.liffey());
    out.put("baseline", r.baseline());
    out.put("ratio", r.kind() == Ratio.Kind.FINITE ? r.value() : null);
    out.put(
        "kind",
        switch (r.kind()) {
          case BOTH_ZERO -> "both 0";
          case FINITE -> "finite";
          case BASELINE_ZERO -> "baseline 0";
        });
    return out;
  }

  /**
   * What the families met, the worst case of each ratio with a limit, and what could not be judged.
   */
  private String footer() {
    StringBuilder out = new StringBuilder();
    long met = families.stream().filter(FamilySummary::met).count();
    out.append(
        String.format(
            Locale.ROOT,
            "Liffey meets every target on %d of %d families (%s%s).%n",
            met,
            families.size(),
            seeds.ofEach(),
            replay.words()));
    reactiveFloor().ifPresent(out::append);
    reroutingFloor().ifPresent(out::append);
    reroutingBounds().ifPresent(out::append);
    costTrades().ifPresent(out::append);
    outdone().ifPresent(out::append);
    for (SuiteRatio r : SuiteRatio.values()) {
      if (r.limit().isEmpty()) {
        continue;
      }
      worst(r)
          .ifPresent(
              c ->
                  out.append(
                      String.format(
                          Locale.ROOT,
                          "Worst %s: %s on %s seed %d (%s).%n",
                          r.label(),
                          c.ratio(r).orElseThrow().render(r.percent()),
                          c.family(),
                          c.seed(),
                          c.parameters())));
    }
    if (!notRun().isEmpty()) {
      out.append("Not run, so not compared: ").append(String.join(", ", notRun())).append(".\n");
    }
    if (!SuiteRatio.slowFloorReported()) {
      out.append("The scorecard reports no ")
          .append(SuiteRatio.SLOW_FLOOR)
          .append(": slow ratios take a floor of 0.\n");
    }
    out.append("Targets per trace: ")
        .append(
            Stream.of(SuiteTarget.values())
                .map(SuiteTarget::statement)
                .collect(Collectors.joining("; ")))
        .append(".\n");
    return out.toString();
  }

  private boolean reactiveRun() {
    return policies.contains(OraclePolicy.REACTIVE_NAME);
  }

  /** The targets the reactive oracle can be judged by in Liffey's place. */
  private static List<SuiteTarget> reactiveTargets() {
    return Stream.of(SuiteTarget.values()).filter(SuiteTarget::boundByReacting).toList();
  }

  /**
   * How many of Liffey's misses (a target on a seed) the reactive oracle misses too, per target:
   * those no policy that only reacts could have met. Empty when it was not run or Liffey missed
   * nothing.
   */
  private Optional<String> reactiveFloor() {
    if (!reactiveRun()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (SuiteTarget t : reactiveTargets()) {
      int missed = 0;
      int too = 0;
      for (FamilySummary f : families) {
        missed += f.missedSeeds(t).size();
        too += f.missedToo(t, OraclePolicy.REACTIVE_NAME).size();
      }
      if (missed > 0) {
        parts.add(String.format(Locale.ROOT, "%s %d of %d", t.key(), too, missed));
      }
    }
    return parts.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "Of Liffey's misses (a target on one seed), "
                + OraclePolicy.REACTIVE_NAME
                + " (every viewer seen the moment they arrive, nothing ahead) misses the same: "
                + String.join(", ", parts)
                + ".\n");
  }

  private boolean reroutingRun() {
    return policies.contains(OraclePolicy.REROUTING_NAME);
  }

  /**
   * The seeds of a family whose cost Liffey missed but which are within the cost limit of {@code
   * oracle-rerouting}'s cost instead of the oracle's: misses the price of moving joins off an
   * incident accounts for.
   */
  private static List<Long> costMissesWithinRerouting(FamilySummary f) {
    List<Long> out = new ArrayList<>();
    for (SuiteCase c : f.cases()) {
      if (c.costMissWithinRerouting()) {
        out.add(c.seed());
      }
    }
    return out;
  }

  /** The {@link #REROUTING_BOUNDS} this run has. */
  private List<ReroutingBound> reroutingBoundsRun() {
    return REROUTING_BOUNDS.stream().filter(b -> policies.contains(b.policy())).toList();
  }

  /** For a family's cost verdict: how many of its misses each rerouting oracle that ran shares. */
  private String boundsToo(FamilySummary f, int missed) {
    StringBuilder out = new StringBuilder();
    for (ReroutingBound b : reroutingBoundsRun()) {
      out.append("; ")
          .append(b.policy())
          .append(" too: ")
          .append(f.missedToo(SuiteTarget.COST, b.policy()).size())
          .append(" of ")
          .append(missed);
    }
    return out.toString();
  }

  /**
   * How many of Liffey's cost misses each rerouting oracle that ran ({@link #REROUTING_BOUNDS})
   * misses too, and how many none of them nor {@code oracle-reactive} (when run) misses: the misses
   * that are Liffey's own. Empty when none of them ran or Liffey met the cost target everywhere.
   */
  private Optional<String> reroutingBounds() {
    List<ReroutingBound> run = reroutingBoundsRun();
    if (run.isEmpty()) {
      return Optional.empty();
    }
    List<String> judges = new ArrayList<>(run.stream().map(ReroutingBound::policy).toList());
    if (reactiveRun()) {
      judges.add(OraclePolicy.REACTIVE_NAME);
    }
    int missed = 0;
    int own = 0;
    int[] too = new int[run.size()];
    for (FamilySummary f : families) {
      List<Long> seedsMissed = f.missedSeeds(SuiteTarget.COST);
      missed += seedsMissed.size();
      Set<Long> shared = new HashSet<>();
      for (int i = 0; i < judges.size(); i++) {
        List<Long> alsoMissed = f.missedToo(SuiteTarget.COST, judges.get(i));
        shared.addAll(alsoMissed);
        if (i < run.size()) {
          too[i] += alsoMissed.size();
        }
      }
      own += (int) seedsMissed.stream().filter(seed -> !shared.contains(seed)).count();
    }
    if (missed == 0) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < run.size(); i++) {
      parts.add(
          String.format(
              Locale.ROOT, "%s %d (%s)", run.get(i).policy(), too[i], run.get(i).words()));
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "Of Liffey's %d cost misses, these miss the cost limit (%.2fx the oracle) too: %s;"
                + " %d none of %s misses.%n",
            missed,
            SuiteRatio.COST_VS_ORACLE.limit().getAsDouble(),
            String.join(", ", parts),
            own,
            String.join(", ", judges)));
  }

  /** Seeds with the policies each names, as JSON: {@code [{"seed", "by": [policies]}]}. */
  private static List<Map<String, Object>> seedsBy(Map<Long, List<String>> bySeed) {
    List<Map<String, Object>> out = new ArrayList<>();
    bySeed.forEach(
        (seed, by) -> {
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("seed", seed);
          one.put("by", by);
          out.add(one);
        });
    return out;
  }

  /**
   * On how many traces a policy that sees nothing ahead cost less than Liffey and served as well
   * ({@link SuiteCase#cheaperAndAsGood}), by family and by policy. Empty when no such policy ran.
   */
  private Optional<String> outdone() {
    List<String> others = othersReacting();
    if (others.isEmpty()) {
      return Optional.empty();
    }
    int traces = 0;
    int outdone = 0;
    Map<String, Integer> byFamily = new LinkedHashMap<>();
    Map<String, Integer> byPolicy = new LinkedHashMap<>();
    others.forEach(p -> byPolicy.put(p, 0));
    for (FamilySummary f : families) {
      traces += f.cases().size();
      Map<Long, List<String>> seedsOutdone = f.outdone();
      outdone += seedsOutdone.size();
      if (!seedsOutdone.isEmpty()) {
        byFamily.put(f.family(), seedsOutdone.size());
      }
      seedsOutdone.values().forEach(by -> by.forEach(p -> byPolicy.merge(p, 1, Integer::sum)));
    }
    String where =
        byFamily.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    String who =
        byPolicy.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(e -> e.getKey() + " on " + e.getValue())
            .collect(Collectors.joining(", "));
    return Optional.of(
        String.format(
            Locale.ROOT,
            "On %d of %d traces a policy that sees nothing ahead cost less than Liffey and left no"
                + " more viewers unserved or slow, nor more service unserved%s.%n",
            outdone,
            traces,
            outdone == 0 ? "" : ": " + where + " (" + who + ")"));
  }

  /** The policies run besides Liffey that see nothing of the trace ahead. */
  private List<String> othersReacting() {
    return Policies.REACTING.stream()
        .filter(p -> !p.equals(LiffeyPolicy.NAME) && policies.contains(p))
        .toList();
  }

  /**
   * How many of Liffey's cost misses are trades, and which are not: on a trade, every policy run
   * that sees nothing ahead and meets the cost target leaves more viewers unserved or slow, or more
   * service unserved ({@link SuiteCase#costMissAvoidedBy}). Empty when no such policy ran or Liffey
   * met the cost target everywhere.
   */
  private Optional<String> costTrades() {
    List<String> others = othersReacting();
    if (others.isEmpty()) {
      return Optional.empty();
    }
    int missed = costMisses();
    List<String> avoided = new ArrayList<>();
    for (FamilySummary f : families) {
      f.costMissesAvoided()
          .forEach(
              (seed, by) ->
                  avoided.add(
                      String.format(
                          Locale.ROOT,
                          "%s seed %d (%s)",
                          f.family(),
                          seed,
                          String.join(", ", by))));
    }
    if (missed == 0) {
      return Optional.empty();
    }
    int shown = Math.min(avoided.size(), LISTED);
    String which =
        avoided.isEmpty()
            ? ""
            : String.format(
                Locale.ROOT,
                "; %d %s not: %s%s",
                avoided.size(),
                avoided.size() == 1 ? "is" : "are",
                String.join(", ", avoided.subList(0, shown)),
                avoided.size() > shown ? ", and " + (avoided.size() - shown) + " more" : "");
    return Optional.of(
        String.format(
            Locale.ROOT,
            "Of Liffey's %d cost misses, %d are trades: on each, every policy run that sees nothing"
                + " ahead (%s) and meets the cost limit leaves more viewers unserved or slow, or"
                + " more service unserved%s.%n",
            missed,
            missed - avoided.size(),
            String.join(", ", others),
            which));
  }

  /** Liffey's cost misses over the suite, a trace each. */
  private int costMisses() {
    return families.stream().mapToInt(f -> f.missedSeeds(SuiteTarget.COST).size()).sum();
  }

  /** The most cost misses {@link #costTrades} names; the JSON has them all. */
  private static final int LISTED = 10;

  /**
   * How many of Liffey's cost misses, over the suite, {@link #costMissesWithinRerouting} accounts
   * for. Empty when {@code oracle-rerouting} was not run or Liffey met the cost target everywhere.
   */
  private Optional<String> reroutingFloor() {
    if (!reroutingRun()) {
      return Optional.empty();
    }
    int missed = costMisses();
    int within = 0;
    for (FamilySummary f : families) {
      within += costMissesWithinRerouting(f).size();
    }
    return missed == 0
        ? Optional.empty()
        : Optional.of(
            String.format(
                Locale.ROOT,
                "Of Liffey's %d cost misses, %d are within %.2fx %s's cost (the oracle moving"
                    + " joins off every incident, as the slow target asks a router to).%n",
                missed,
                within,
                SuiteRatio.COST_VS_ORACLE.limit().getAsDouble(),
                OraclePolicy.REROUTING_NAME));
  }

  private Optional<SuiteCase> worst(SuiteRatio r) {
    SuiteCase worst = null;
    for (FamilySummary f : families) {
      for (SuiteCase c : f.cases()) {
        Optional<Ratio> x = c.ratio(r);
        if (x.isPresent()
            && (worst == null || x.get().compareTo(worst.ratio(r).orElseThrow()) > 0)) {
          worst = c;
        }
      }
    }
    return Optional.ofNullable(worst);
  }

  /**
   * "met", or the targets missed with their seeds; targets that could not be judged in brackets.
   */
  private String verdict(FamilySummary f) {
    List<String> missed = new ArrayList<>();
    List<String> notJudged = new ArrayList<>();
    boolean reactive = reactiveRun();
    for (SuiteTarget t : SuiteTarget.values()) {
      switch (f.verdict(t)) {
        case MISSED -> {
          List<Long> seeds = f.missedSeeds(t);
          missed.add(
              t.key()
                  + " ("
                  + seeds(seeds, f.cases().size())
                  + (reactive && t.boundByReacting()
                      ? "; "
                          + OraclePolicy.REACTIVE_NAME
                          + " too: "
                          + f.missedToo(t, OraclePolicy.REACTIVE_NAME).size()
                          + " of "
                          + seeds.size()
                      : "")
                  + (t == SuiteTarget.COST && reroutingRun()
                      ? "; within "
                          + String.format(
                              Locale.ROOT,
                              "%.2fx ",
                              SuiteRatio.COST_VS_ORACLE.limit().getAsDouble())
                          + OraclePolicy.REROUTING_NAME
                          + ": "
                          + costMissesWithinRerouting(f).size()
                          + " of "
                          + seeds.size()
                      : "")
                  + (t == SuiteTarget.COST ? boundsToo(f, seeds.size()) : "")
                  + ")");
        }
        case NOT_JUDGED -> notJudged.add(t.key());
        case MET -> {}
      }
    }
    String head = missed.isEmpty() ? "met" : "MISSED " + String.join(", ", missed);
    return notJudged.isEmpty()
        ? head
        : head + " [not judged: " + String.join(", ", notJudged) + "]";
  }

  /**
   * "median / p90 / worst (sSEED)"; one figure when all three read the same, and "0%" (or "0.00x")
   * when Liffey's figure was 0 on every seed but some baselines' were not.
   */
  private static String cell(FamilySummary.Spread s, boolean percent) {
    String median = s.median().render(percent);
    String p90 = s.p90().render(percent);
    String worst = s.worst().render(percent);
    if (median.equals(worst)) {
      return worst;
    }
    if (s.worst().liffey() == 0) {
      return new Ratio(0, 1).render(percent);
    }
    return median + " / " + p90 + " / " + worst + " (s" + s.worstSeed() + ")";
  }

  private static String seeds(List<Long> missed, int of) {
    if (missed.size() == of && of > 1) {
      return "all seeds";
    }
    return (missed.size() == 1 ? "seed " : "seeds ")
        + missed.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static String limit(SuiteRatio r) {
    return r.limit().isEmpty() ? "" : "<= " + limitValue(r);
  }

  /** The most a ratio with a limit may be, as its cells show it: "5.0%", "1.25x". */
  static String limitValue(SuiteRatio r) {
    double l = r.limit().getAsDouble();
    return r.percent() ? new Ratio(l, 1).render(true) : String.format(Locale.ROOT, "%.2fx", l);
  }

  static String word(Verdict v) {
    return switch (v) {
      case MET -> "met";
      case MISSED -> "missed";
      case NOT_JUDGED -> "not judged";
    };
  }

  private static String summary(String family) {
    return ScenarioFamilies.all().stream()
        .filter(x -> x.name().equals(family))
        .findFirst()
        .map(ScenarioFamilies.Family::summary)
        .orElse("");
  }
}
