package dev.liffey.cli;

import dev.liffey.autoscaler.ops.ConcurrentChangeException;
import dev.liffey.autoscaler.ops.Refused;
import dev.liffey.core.config.EdgeConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code liffey}: the on-call tool. Exit codes: 0 ok, 1 failure, 2 usage or invalid input, 3 AWS or
 * Kubernetes unreachable.
 */
@Command(
    name = "liffey",
    mixinStandardHelpOptions = true,
    versionProvider = LiffeyCli.Version.class,
    description =
        "Elastic capacity for live, sub-second video on AWS: see, plan and act during a viral spike.",
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
  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:LIFFEY_CONFIG:-edge-regions.yaml}",
      description = "The configuration (default: $LIFFEY_CONFIG, else ./edge-regions.yaml).")
  Path config;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      defaultValue = "table",
      converter = Format.Converter.class,
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  Format output;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

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
    c.put("ladder", LadderCommand.class);
    c.put("drain", DrainCommand.Drain.class);
    c.put("undrain", DrainCommand.Undrain.class);
    c.put("events", EventsCommand.class);
    c.put("history", HistoryCommand.class);
    c.put("validate", ValidateCommand.class);
    c.put("simulate", SimulateCommand.class);
    c.put("completion", CompletionCommand.class);
    c.put("startup-training", StartupTrainingCommand.class);
    c.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(c);
  }

  /** The options every command shares (given before or after it), from any command's spec. */
  static LiffeyCli of(CommandSpec spec) {
    return (LiffeyCli) spec.root().userObject();
  }

  public static void main(String[] args) {
    CommandLine cli = commandLineFor(args);
    int code = cli.execute(args);
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
   * Only what {@code args} need: building every command by reflection is most of the start-up
   * on-call waits for, so {@code liffey status} builds status alone and {@code liffey --version}
   * none. Help, completion and anything unknown get the whole model (they list it, or suggest from
   * it).
   */
  static CommandLine commandLineFor(String[] args) {
    if (args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"))) {
      return build(java.util.List.of());
    }
    String command = command(args);
    if (COMMANDS.containsKey(command) && !command.equals("help") && !command.equals("completion")) {
      return build(java.util.List.of(command));
    }
    return commandLine();
  }

  /**
   * The command {@code args} name: the first word that is not a shared option or its value ("" if
   * none).
   */
  private static String command(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config") || a.equals("-o") || a.equals("--output")) {
        i++; // its value
      } else if (!a.startsWith("-")) {
        return a;
      }
    }
    return "";
  }

  private static CommandLine build(Collection<String> names) {
    CommandLine cli = new CommandLine(new LiffeyCli());
    names.forEach(n -> cli.addSubcommand(n, COMMANDS.get(n)));
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          // Picocli's own messages may start "Error: "; ours already say "liffey: ".
          var err = ex.getCommandLine().getErr();
          if (ex instanceof UnmatchedArgumentException u
              && !u.isUnknownOption()
              && ex.getCommandLine().getCommandSpec().subcommands().size() > 0
              && !u.getUnmatched().isEmpty()) {
            // a word where a command was expected: say so, and the closest commands
            String word = u.getUnmatched().get(0);
            List<String> close =
                Suggestions.closest(
                    word, ex.getCommandLine().getCommandSpec().subcommands().keySet());
            err.println(
                "liffey: unknown command '"
                    + word
                    + "'"
                    + (close.isEmpty()
                        ? ""
                        : ": did you mean "
                            + String.join(" or ", close.stream().map(c -> "'" + c + "'").toList())
                            + "?"));
          } else {
            err.println("liffey: " + ex.getMessage().replaceFirst("^Error: ", ""));
          }
          ex.getCommandLine()
              .getErr()
              .println(
                  "Run '"
                      + ex.getCommandLine().getCommandSpec().qualifiedName()
                      + " --help' for usage.");
          return EXIT_INVALID;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
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
          boolean verbose =
              parseResult.originalArgs().contains("-v")
                  || parseResult.originalArgs().contains("--verbose");
          if (verbose) {
            ex.printStackTrace(commandLine.getErr());
          }
          if (ex instanceof Unreachable) {
            commandLine.getErr().println("liffey: " + ex.getMessage());
            return EXIT_UNREACHABLE;
          }
          if (ex instanceof SdkException sdk) {
            Optional<EdgeConfig> config =
                mixin(commandLine, ConfigOption.class).flatMap(ConfigOption::loaded);
            AwsErrors.Failure failure =
                mixin(commandLine, OnCall.class).orElseGet(OnCall::new).failure(sdk, config);
            commandLine.getErr().println("liffey: " + failure.message());
            return failure.exitCode();
          }
          commandLine
              .getErr()
              .println(
                  "liffey: "
                      + ex.getClass().getSimpleName()
                      + ": "
                      + ex.getMessage()
                      + (verbose ? "" : " (-v for details)"));
          return EXIT_FAILURE;
        });
    return cli;
  }

  /** The command's mixin of that type (its --config, its AWS clients), if it has one. */
  private static <T> Optional<T> mixin(CommandLine commandLine, Class<T> type) {
    return commandLine.getCommandSpec().mixins().values().stream()
        .map(CommandSpec::userObject)
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst();
  }

  /** The version Maven stamped into the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Main.version()};
    }
  }
}
