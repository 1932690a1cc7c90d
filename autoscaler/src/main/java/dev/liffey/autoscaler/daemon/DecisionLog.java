package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.engine.Actuation;
import dev.liffey.autoscaler.engine.Decision;
import dev.liffey.autoscaler.engine.FleetPlan;
import dev.liffey.autoscaler.engine.RoutingPlan;
import dev.liffey.autoscaler.engine.TickReport;
import java.util.List;
import org.slf4j.Logger;

/**
 * A decision in the log. As text (for people): one line per decision that changes something, every
 * reason in it. As JSON (for a log pipeline): one line per change, with {@code event} ({@code
 * scale}, {@code warm-pool} or {@code route}), {@code policy}, {@code dryRun}, and {@code region},
 * {@code fleet}, {@code kind}, {@code before}, {@code after} and {@code reason} (or {@code market}
 * and the weights) as fields, so a query can ask "every scale-in of relays in eu-west-1 today"
 * without parsing prose.
 */
final class DecisionLog {
  private final Logger log;
  private final LogFormat format;

  DecisionLog(Logger log, LogFormat format) {
    this.log = log;
    this.format = format;
  }

  /**
   * A tick of the live loop: its decision, the audited reasons, and the warm-pool-only changes
   * made.
   */
  void decided(TickReport r, boolean dryRun) {
    decided(
        r.decision(), r.why(), r.done().stream().filter(a -> !a.changesDesired()).toList(), dryRun);
  }

  /** A simulated tick's decision. */
  void decided(Decision d) {
    decided(d, d.changesAnything() ? d.summary() : "", List.of(), false);
  }

  /**
   * Logs at INFO what changes something ({@code why} not empty), at DEBUG a decision that holds.
   */
  private void decided(Decision d, String why, List<Actuation> poolOnly, boolean dryRun) {
    if (why.isEmpty()) {
      if (log.isDebugEnabled()) {
        log.debug("{}", d.summary());
      }
      return;
    }
    if (format == LogFormat.TEXT) {
      log.info(
          "{}{}", dryRun ? "(dry run) " : "", why); // one line per decision, every reason in it
      return;
    }
    for (FleetPlan p : d.changes()) {
      log.atInfo()
          .setMessage(p.reason())
          .addKeyValue("event", "scale")
          .addKeyValue("policy", d.policy())
          .addKeyValue("dryRun", dryRun)
          .addKeyValue("region", p.fleet().region())
          .addKeyValue("fleet", p.fleet().name())
          .addKeyValue("kind", p.fleet().kind().label())
          .addKeyValue("before", p.current())
          .addKeyValue("after", p.target())
          .addKeyValue("warmPool", p.warmPool())
          .addKeyValue("reason", p.reason())
          .log();
    }
    for (Actuation a : poolOnly) {
      log.atInfo()
          .setMessage(a.poolReason())
          .addKeyValue("event", "warm-pool")
          .addKeyValue("policy", d.policy())
          .addKeyValue("dryRun", dryRun)
          .addKeyValue("region", a.fleet().region())
          .addKeyValue("fleet", a.fleet().name())
          .addKeyValue("kind", a.fleet().kind().label())
          .addKeyValue("before", a.fromWarmPool())
          .addKeyValue("after", a.toWarmPool())
          .addKeyValue("reason", a.poolReason())
          .log();
    }
    d.routing()
        .filter(RoutingPlan::changes)
        .ifPresent(
            r ->
                log.atInfo()
                    .setMessage(r.reason())
                    .addKeyValue("event", "route")
                    .addKeyValue("policy", d.policy())
                    .addKeyValue("dryRun", dryRun)
                    .addKeyValue("market", r.market())
                    .addKeyValue("before", r.current())
                    .addKeyValue("after", r.target())
                    .addKeyValue("reason", r.reason())
                    .log());
  }
}
