package dev.liffey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The on-call runbooks in {@code runbooks/} say what to type at 21:04 with one terminal: every
 * {@code liffey} line in their code blocks must parse against the real command model, so a renamed
 * option or a typo breaks the build instead of the incident. Parsing only: nothing runs, no AWS.
 */
class RunbookCommandsTest {
  /** Surefire runs in {@code cli/}. */
  private static final Path RUNBOOKS = Path.of("..", "runbooks");

  private static final String INDEX = "README.md";
  private static final List<String> SECTIONS =
      List.of(
          "## When to use it",
          "## What to look at",
          "## What to run",
          "## How to know it worked",
          "## How to roll back");

  @ParameterizedTest(name = "{0}")
  @MethodSource("runbookCommands")
  void everyLiffeyCommandInTheRunbooksParses(RunbookCommand command) {
    List<String> args = command.args();
    CommandLine liffey = LiffeyCli.commandLine();
    if (!args.isEmpty()
        && !args.get(0).startsWith("-")
        && !liffey.getSubcommands().containsKey(args.get(0))) {
      fail(
          "%s: '%s' is not a liffey command (there are: %s)%n  the line: %s",
          command.where(),
          args.get(0),
          String.join(", ", liffey.getSubcommands().keySet()),
          command.text());
    }
    try {
      liffey.parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      fail("%s: %s%n  the line: %s", command.where(), e.getMessage(), command.text());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runbooks")
  void everyRunbookHasTheFiveSections_inOrder(Path runbook) {
    List<String> headings =
        outsideCodeBlocks(read(runbook)).stream().filter(SECTIONS::contains).toList();
    assertThat(headings)
        .as("the section headings of %s", runbook.getFileName())
        .containsExactlyElementsOf(SECTIONS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runbooks")
  void everyRunbookNamesALiffeyCommand(Path runbook) {
    assertThat(extract(runbook.getFileName().toString(), read(runbook)))
        .as("liffey commands in code blocks of %s", runbook.getFileName())
        .isNotEmpty();
  }

  @Test
  void theIndexLinksEveryRunbook() {
    String index = String.join("\n", read(RUNBOOKS.resolve(INDEX)));
    assertThat(runbooks())
        .allSatisfy(
            runbook ->
                assertThat(index)
                    .as("%s links %s", INDEX, runbook.getFileName())
                    .contains("](" + runbook.getFileName() + ")"));
  }

  @Test
  void aMadeUpOptionFailsTheCheck_namingTheOption() {
    List<RunbookCommand> commands =
        extract(
            "made-up.md",
            List.of(
                "# Made up", "", "```bash", "liffey freeze --regoin eu-west-1 --reason x", "```"));

    assertThat(commands)
        .singleElement()
        .hasToString("made-up.md:4: liffey freeze --regoin eu-west-1 --reason x");
    assertThatThrownBy(
            () -> LiffeyCli.commandLine().parseArgs(commands.get(0).args().toArray(String[]::new)))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--regoin");
  }

  @Test
  void onlyLiffeyLinesInsideCodeBlocksAreChecked_joiningBackslashContinuations() {
    List<RunbookCommand> commands =
        extract(
            "r.md",
            List.of(
                "Run liffey status first.",
                "```bash",
                "liffey prewarm --region eu-west-1 \\",
                "  --fleet relay --capacity 90 --for 2h --reason \"viral spike\"",
                "aws wafv2 list-web-acls --scope REGIONAL \\",
                "  --region eu-west-1",
                "  liffey status --watch  # indented, with a comment",
                "```",
                "liffey history"));

    assertThat(commands).extracting(RunbookCommand::line).containsExactly(3, 7);
    assertThat(commands.get(0).args())
        .containsExactly(
            "prewarm",
            "--region",
            "eu-west-1",
            "--fleet",
            "relay",
            "--capacity",
            "90",
            "--for",
            "2h",
            "--reason",
            "viral spike");
    assertThat(commands.get(1).args()).containsExactly("status", "--watch");
  }

  @Test
  void wordsSplitLikeAPosixShell() {
    assertThat(ShellWords.split("liffey freeze --reason 'Dublin'\\''s p95 \"high\"' --yes"))
        .containsExactly("liffey", "freeze", "--reason", "Dublin's p95 \"high\"", "--yes");
    assertThat(ShellWords.split("a \"b \\\"c\\\" \\\\ \\d\" e\\ f '' g#h #i"))
        .containsExactly("a", "b \"c\" \\ \\d", "e f", "", "g#h");
  }

  @Test
  void aLineTheShellWouldNotPassAsIsIsRefused() {
    assertThatThrownBy(() -> ShellWords.split("liffey route shift --reason 'unterminated"))
        .hasMessage("unterminated ' quote");
    assertThatThrownBy(() -> ShellWords.split("liffey status -o json | jq .regions"))
        .hasMessageStartingWith("unquoted '|'");
    assertThatThrownBy(() -> ShellWords.split("liffey freeze --region <region> --reason x"))
        .hasMessageStartingWith("unquoted '<'");
    assertThatThrownBy(() -> ShellWords.split("liffey freeze --reason \"$WHY\""))
        .hasMessageStartingWith("'$' in double quotes");
  }

  static Stream<Path> runbooks() {
    return markdown().filter(p -> !p.getFileName().toString().equals(INDEX));
  }

  static Stream<RunbookCommand> runbookCommands() {
    return markdown().flatMap(p -> extract(p.getFileName().toString(), read(p)).stream());
  }

  private static Stream<Path> markdown() {
    try (Stream<Path> files = Files.list(RUNBOOKS)) {
      List<Path> md =
          files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
      assertThat(md).as("runbooks in %s", RUNBOOKS.toAbsolutePath().normalize()).isNotEmpty();
      return md.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code liffey} commands in fenced code blocks, each at the line it starts on. Every line of
   * a block is joined with its backslash continuations first, so the continuation of another tool's
   * command is never mistaken for a {@code liffey} line.
   */
  static List<RunbookCommand> extract(String file, List<String> lines) {
    List<RunbookCommand> out = new ArrayList<>();
    String fence = null;
    for (int i = 0; i < lines.size(); i++) {
      String stripped = lines.get(i).strip();
      if (fence == null) {
        if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
          fence = stripped.substring(0, 3);
        }
        continue;
      }
      if (stripped.startsWith(fence)) {
        fence = null;
        continue;
      }
      int first = i;
      StringBuilder command = new StringBuilder(stripped);
      while (continues(command)
          && i + 1 < lines.size()
          && !lines.get(i + 1).strip().startsWith(fence)) {
        command.setLength(command.length() - 1);
        command.append(lines.get(++i));
      }
      if (command.toString().startsWith("liffey ")) {
        out.add(new RunbookCommand(file, first + 1, command.toString()));
      }
    }
    return out;
  }

  /** An odd number of trailing backslashes: the last one escapes the newline. */
  private static boolean continues(CharSequence line) {
    int n = 0;
    while (n < line.length() && line.charAt(line.length() - 1 - n) == '\\') {
      n++;
    }
    return n % 2 == 1;
  }

  private static List<String> outsideCodeBlocks(List<String> lines) {
    List<String> out = new ArrayList<>();
    String fence = null;
    for (String line : lines) {
      String stripped = line.strip();
      if (fence == null && (stripped.startsWith("```") || stripped.startsWith("~~~"))) {
        fence = stripped.substring(0, 3);
      } else if (fence != null && stripped.startsWith(fence)) {
        fence = null;
      } else if (fence == null) {
        out.add(stripped);
      }
    }
    return out;
  }

  /** One {@code liffey} command of a runbook; its name is what a failing test shows. */
  record RunbookCommand(String file, int line, String text) {
    String where() {
      return file + ":" + line;
    }

    /** The arguments after {@code liffey}, as the shell would pass them. */
    List<String> args() {
      List<String> words;
      try {
        words = ShellWords.split(text);
      } catch (IllegalArgumentException e) {
        throw new AssertionError(where() + ": " + e.getMessage() + "\n  the line: " + text, e);
      }
      return words.subList(1, words.size());
    }

    @Override
    public String toString() {
      return where() + ": " + text;
    }
  }

  /**
   * Splits one command line into words the way a POSIX shell does for quotes and backslashes. A
   * runbook's {@code liffey} line must be a plain command to be checked, so what the shell would
   * expand or redirect (unquoted {@code | & ; < > ( ) $ `}, {@code $} or {@code `} in double
   * quotes) is refused rather than guessed at.
   */
  static final class ShellWords {
    private static final String OPERATORS = "|&;<>()$`";

    private ShellWords() {}

    static List<String> split(String line) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean inWord = false;
      int i = 0;
      while (i < line.length()) {
        char c = line.charAt(i);
        if (c == ' ' || c == '\t') {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
          i++;
        } else if (c == '#' && !inWord) {
          break; // a comment runs to the end of the line
        } else if (c == '\'') {
          int end = line.indexOf('\'', i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("unterminated ' quote");
          }
          word.append(line, i + 1, end);
          inWord = true;
          i = end + 1;
        } else if (c == '"') {
          i = doubleQuoted(line, i + 1, word);
          inWord = true;
        } else if (c == '\\') {
          if (i + 1 == line.length()) {
            throw new IllegalArgumentException(
                "a backslash ends the command: nothing to continue onto");
          }
          word.append(line.charAt(i + 1));
          inWord = true;
          i += 2;
        } else if (OPERATORS.indexOf(c) >= 0) {
          throw new IllegalArgumentException(
              "unquoted '"
                  + c
                  + "': write one plain liffey command (no pipes,"
                  + " redirects, variables or <placeholders>), or quote it");
        } else {
          word.append(c);
          inWord = true;
          i++;
        }
      }
      if (inWord) {
        words.add(word.toString());
      }
      return words;
    }

    /**
     * Appends the double-quoted text starting at {@code from}; returns the index after the closing
     * quote.
     */
    private static int doubleQuoted(String line, int from, StringBuilder word) {
      int i = from;
      while (i < line.length()) {
        char c = line.charAt(i);
        if (c == '"') {
          return i + 1;
        }
        if (c == '$' || c == '`') {
          throw new IllegalArgumentException(
              "'"
                  + c
                  + "' in double quotes: the shell would expand it; write the"
                  + " value, or use single quotes");
        }
        // Inside double quotes a backslash escapes only $ ` " \ and keeps its meaning elsewhere.
        if (c == '\\' && i + 1 < line.length() && "$`\"\\".indexOf(line.charAt(i + 1)) >= 0) {
          word.append(line.charAt(i + 1));
          i += 2;
        } else {
          word.append(c);
          i++;
        }
      }
      throw new IllegalArgumentException("unterminated \" quote");
    }
  }
}
