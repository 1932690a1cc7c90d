package dev.liffey.edge;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** Runs an agent's command line with good flags and some put in or over them; keeps stderr. */
public final class TestFlags {
  private TestFlags() {}

  /** What a run returned and printed on stderr. */
  public record Run(int exit, String err) {}

  /**
   * @param replace flag-value pairs: a flag there is given this value, one not there is added
   */
  public static Run run(ToIntFunction<String[]> main, List<String> good, String... replace) {
    List<String> args = new ArrayList<>(good);
    for (int i = 0; i < replace.length; i += 2) {
      int at = args.indexOf(replace[i]);
      if (at >= 0) {
        args.set(at + 1, replace[i + 1]);
      } else {
        args.addAll(List.of(replace[i], replace[i + 1]));
      }
    }
    PrintStream was = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      return new Run(main.applyAsInt(args.toArray(String[]::new)), err.toString().strip());
    } finally {
      System.setErr(was);
    }
  }
}
