package dev.liffey.cli;

import dev.liffey.autoscaler.ops.ConcurrentChangeException;
import dev.liffey.autoscaler.ops.Refused;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import dev.liffey.core.config.EdgeConfig;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code liffey}: the on-call tool. Exit codes: 0 ok, 1 failure, 2 usage or invalid input,
 * 3 AWS or Kubernetes unreachable.
 */
@Command(
    name = "liffey",
    mixinStandardHelpOptions = true,
    versionProvider = LiffeyCli.Version.class,
    description = "Elastic capacity for live, sub-second video on AWS: see, plan and act during a viral spike.",
    footerHeading = "%nGlobal options%n",
    footer = {
      "Before or after the command: --config FILE, -o table|json|yaml, -v (stack traces). Every change also",
      "takes --reason TEXT (required), --yes (no confirmation; required without a terminal) and --dry-run."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:failure",
      "2:usage or invalid input (the message names the problem and the fix)",
      "3:AWS or Kubernetes unreachable"
    })
public final class LiffeyCli {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_INVALID = 2;
  public static final int EXIT_UNREACHABLE = 3;

  /** Every command, in the order --help lists them. */
  private static final Map<String, Class<?>> COMMANDS = commands();

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> c = new LinkedHashMap<>();
    c.put("status", StatusCommand.class);
    c.put("plan", PlanCommand.class);
    c.put("prewarm", PrewarmCommand.class);
    c.put("scale", ScaleCommand.class);
    c.put("route", RouteCommand.class);
    c.put("freeze", FreezeCommand.class);
    c.put("unfreeze", UnfreezeCommand.class);
    c.put("drain", DrainCommand.Drain.class);
    c.put("undrain", DrainCommand.Undrain.class);
    c.put("events", EventsCommand.class);
    c.put("history", HistoryCommand.class);
    c.put("validate", ValidateCommand.class);
    c.put("simulate", SimulateCommand.class);
    c.put("completion", CompletionCommand.class);
    c.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(c);
  }

  public static void main(String[] args) {
    String[] hoisted = GlobalOptions.hoist(args);
    CommandLine cli = commandLineFor(hoisted);
    int code = cli.execute(hoisted);
    // Output that does not end in a newline is not flushed by println; never lose it on exit.
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(code);
  }

  /** The whole command model, shared by the tests, the runbook check and completion. */
  public static CommandLine commandLine() {
    return build(COMMANDS.keySet());
  }

  /**
   * Only what {@code args} need: building every command by reflection is most of the start-up on-call
   * waits for, so {@code liffey status} builds status alone and {@code liffey --version} none. Help,
   * completion and anything unknown get the whole model (they list it, or suggest from it).
   */
  static CommandLine commandLineFor(String[] args) {
    if (args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"))) {
      return build(java.util.List.of());
    }
    if (args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help") && !args[0].equals("completion")) {
      return build(java.util.List.of(args[0]));
    }
    return commandLine();
  }

  private static CommandLine build(Collection<String> names) {
    CommandLine cli = new CommandLine(new LiffeyCli());
    names.forEach(n -> cli.addSubcommand(n, COMMANDS.get(n)));
    cli.setParameterExceptionHandler((ex, args) -> {
      // Picocli's own messages may start "Error: "; ours already say "liffey: ".
      ex.getCommandLine().getErr().println("liffey: " + ex.getMessage().replaceFirst("^Error: ", ""));
      ex.getCommandLine().getErr().println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName()
          + " --help' for usage.");
      return EXIT_INVALID;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof ConfigOption.Invalid) {
        return EXIT_INVALID; // every problem was printed already
      }
      if (ex instanceof UsageProblem || ex instanceof Refused) {
        commandLine.getErr().println("liffey: " + ex.getMessage());
        return EXIT_INVALID;
      }
      if (ex instanceof IllegalStateException || ex instanceof ConcurrentChangeException) {
        // Failures with a message written for on-call: what is wrong and what to do.
        commandLine.getErr().println("liffey: " + ex.getMessage());
        return EXIT_FAILURE;
      }
      boolean verbose = parseResult.originalArgs().contains("-v") || parseResult.originalArgs().contains("--verbose");
      if (verbose) {
        ex.printStackTrace(commandLine.getErr());
      }
      if (ex instanceof Unreachable) {
        commandLine.getErr().println("liffey: " + ex.getMessage());
        return EXIT_UNREACHABLE;
      }
      if (ex instanceof SdkException sdk) {
        Optional<EdgeConfig> config = mixin(commandLine, ConfigOption.class).flatMap(ConfigOption::loaded);
        AwsErrors.Failure failure = mixin(commandLine, OnCall.class).orElseGet(OnCall::new).failure(sdk, config);
        commandLine.getErr().println("liffey: " + failure.message());
        return failure.exitCode();
      }
      commandLine.getErr().println("liffey: " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
          + (verbose ? "" : " (-v for details)"));
      return EXIT_FAILURE;
    });
    return cli;
  }

  /** The command's mixin of that type (its --config, its AWS clients), if it has one. */
  private static <T> Optional<T> mixin(CommandLine commandLine, Class<T> type) {
    return commandLine.getCommandSpec().mixins().values().stream().map(CommandSpec::userObject)
        .filter(type::isInstance).map(type::cast).findFirst();
  }

  /** Reads the version Maven stamped into the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LiffeyCli.class.getPackage().getImplementationVersion();
      return new String[] {"liffey " + (v == null ? "(development build)" : v)};
    }
  }
}
