package dev.liffey.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code liffey completion bash|zsh}: a completion script for every command and option. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a bash or zsh completion script for liffey.",
      "Load it with:",
      "  bash: source <(liffey completion bash)",
      "  zsh:  autoload -U +X bashcompinit && bashcompinit && source <(liffey completion zsh)"
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new UsageProblem("no completion for shell '" + shell + "': use bash or zsh");
    }
    // picocli's script is bash; zsh runs it through bashcompinit (the script says so in its
    // header).
    spec.commandLine().getOut().print(AutoComplete.bash("liffey", spec.root().commandLine()));
    return LiffeyCli.EXIT_OK;
  }
}
