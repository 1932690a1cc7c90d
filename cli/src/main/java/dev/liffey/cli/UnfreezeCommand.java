package dev.liffey.cli;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.core.config.EdgeConfig;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code liffey unfreeze}: lifts a freeze made with the same --region and --fleet. */
@Command(name = "unfreeze", mixinStandardHelpOptions = true,
    description = "Lift the freeze made with the same --region and --fleet; the autoscaler acts there again.")
final class UnfreezeCommand implements Callable<Integer> {
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
    if (!change.confirm("unfreeze " + Scope.describe(r, f), out)) {
      return LiffeyCli.EXIT_OK;
    }
    try {
      DynamoDbControlStore table = onCall.controlTable(edge);
      String key = r.orElse("*") + "#" + f.orElse("*");
      if (table.version("freeze", key) == 0) {
        throw new UsageProblem("nothing to unfreeze: no freeze on " + Scope.describe(r, f)
            + " (see 'liffey history' for what was frozen, and with which --region/--fleet)");
      }
      String who = onCall.whoAmI(edge);
      table.audit(new AuditRecord(Instant.now(), who, "unfreeze", change.reason, "frozen " + key, "not frozen"));
      table.removeFreeze(r, f);
      out.println("unfroze " + Scope.describe(r, f) + " (by " + who + "): " + change.reason);
      return LiffeyCli.EXIT_OK;
    } finally {
      onCall.close();
    }
  }
}
