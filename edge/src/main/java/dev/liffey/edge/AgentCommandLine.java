package dev.liffey.edge;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import picocli.CommandLine;

/**
 * What the relay's and the transcoder's agents share on their command line: a bad flag or file is
 * exit 2 with one line naming it (no stack trace), and {@code HOST:PORT} flags read one way.
 */
public final class AgentCommandLine {
  private AgentCommandLine() {}

  /**
   * Runs {@code command} on {@code args}.
   *
   * @param name how the command is typed, for its one-line errors ({@code liffey-edge transcoder})
   */
  public static int run(Object command, String name, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println(name + ": " + e.getMessage() + " (run " + name + " --help)");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (e, c, p) -> {
          if (e instanceof IllegalArgumentException) {
            c.getErr().println(name + ": " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return cli.execute(args);
  }

  /** {@code flag}'s {@code HOST:PORT}, or why it is not one. */
  public static InetSocketAddress hostPort(String value, String flag) {
    int colon = value.lastIndexOf(':');
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (colon < 1 || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(value.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag + " " + value + ": write HOST:PORT, like 0.0.0.0:7080");
    }
  }
}
