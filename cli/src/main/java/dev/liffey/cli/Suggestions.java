package dev.liffey.cli;

import java.util.Collection;
import java.util.List;

/**
 * "Did you mean": the names closest to a mistyped word, by edits (a swap of neighbours counts as
 * one).
 */
final class Suggestions {
  private Suggestions() {}

  /**
   * The names at the least distance from {@code word}, if that is a typo's distance (at most 2, or
   * a third of it).
   */
  static List<String> closest(String word, Collection<String> names) {
    int most = Math.max(2, word.length() / 3);
    int best = names.stream().mapToInt(n -> distance(word, n)).min().orElse(Integer.MAX_VALUE);
    return best > most
        ? List.of()
        : names.stream().filter(n -> distance(word, n) == best).sorted().toList();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
