package dev.liffey.cli;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState.Freeze;
import dev.liffey.core.config.EdgeConfig;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code liffey freeze}: the autoscaler stops acting on a region, a fleet, or everything. */
@Command(name = "freeze", mixinStandardHelpOptions = true,
    description = {"Stop the autoscaler acting on a region, a fleet, or everything.",
        "Everything, when neither --region nor --fleet is given; --fleet routing alone freezes the Irish weights."
            + " Holds until 'liffey unfreeze'. Works whether or not the autoscaler is running: it reads the control"
            + " table every tick."})
final class FreezeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin OnCall onCall;
  @Mixin ChangeOptions change;
  @Mixin ScopeOptions scope;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    EdgeConfig edge = config.load(spec.commandLine().getErr()).config();
    Optional<String> r = scope.region(edge);
    Optional<String> f = scope.fleet(edge);
    String what = "freeze " + Scope.describe(r, f);
    if (!change.confirm(what, out)) {
      return LiffeyCli.EXIT_OK;
    }
    try {
      DynamoDbControlStore table = onCall.controlTable(edge);
      String who = onCall.whoAmI(edge);
      String key = r.orElse("*") + "#" + f.orElse("*");
      table.audit(new AuditRecord(Instant.now(), who, "freeze", change.reason, "not frozen", "frozen " + key));
      table.putFreeze(new Freeze(r, f, change.reason, who), table.version("freeze", key));
      out.println("froze " + Scope.describe(r, f) + " (by " + who + "): " + change.reason);
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }
}
