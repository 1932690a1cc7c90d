package dev.liffey.cli;

import dev.liffey.autoscaler.control.ConcurrentChangeException;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkClientException;
import picocli.CommandLine.Command;

/**
 * {@code liffey}: the on-call tool. Exit codes: 0 ok, 1 failure, 2 usage or invalid input,
 * 3 AWS or Kubernetes unreachable.
 */
@Command(
    name = "liffey",
    mixinStandardHelpOptions = true,
    versionProvider = LiffeyCli.Version.class,
    description = "Elastic capacity for live, sub-second video on AWS: see, plan and act during a viral spike.",
    subcommands = {
      StatusCommand.class, PlanCommand.class, PrewarmCommand.class, ScaleCommand.class, RouteCommand.class,
      FreezeCommand.class, UnfreezeCommand.class, DrainCommand.Drain.class, DrainCommand.Undrain.class,
      EventsCommand.class, HistoryCommand.class, ValidateCommand.class, SimulateCommand.class,
      CompletionCommand.class, CommandLine.HelpCommand.class
    },
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

  public static void main(String[] args) {
    CommandLine cli = commandLine();
    int code = cli.execute(GlobalOptions.hoist(args));
    // Output that does not end in a newline is not flushed by println; never lose it on exit.
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(code);
  }

  /** The command model, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new LiffeyCli());
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
      if (ex instanceof UsageProblem u) {
        commandLine.getErr().println("liffey: " + u.getMessage());
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
      if (ex instanceof SdkClientException) {
        commandLine.getErr().println("liffey: cannot reach AWS: " + ex.getMessage().replaceAll("\\s+", " ")
            + " (check network and credentials, or AWS_ENDPOINT_URL for an emulator)");
        return EXIT_UNREACHABLE;
      }
      if (ex instanceof software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException) {
        commandLine.getErr().println("liffey: the control table does not exist: deploy the control stack"
            + " (cdk-app), or run liffey-autoscaler --create-control-table");
        return EXIT_FAILURE;
      }
      commandLine.getErr().println("liffey: " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
          + (verbose ? "" : " (-v for details)"));
      return EXIT_FAILURE;
    });
    return cli;
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
