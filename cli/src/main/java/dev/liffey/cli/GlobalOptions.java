package dev.liffey.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * On-call types {@code liffey -o json status} as often as {@code liffey status -o json}: the options
 * every command shares may come before the command. They are declared once, on the commands (mixins);
 * this moves any given before the command to its end, where the command's parser reads them (and
 * rejects one the command does not take, like {@code --yes} on {@code status}).
 */
final class GlobalOptions {
  private static final Set<String> WITH_VALUE = Set.of("--config", "-o", "--output", "--reason");
  private static final Set<String> FLAGS = Set.of("-v", "--verbose", "--yes", "--dry-run");

  private GlobalOptions() {}

  static String[] hoist(String[] args) {
    List<String> hoisted = new ArrayList<>();
    int i = 0;
    while (i < args.length) {
      String a = args[i];
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (FLAGS.contains(a)) {
        hoisted.add(a);
        i++;
      } else if (WITH_VALUE.contains(name) && !a.equals(name)) {
        hoisted.add(a); // --config=FILE
        i++;
      } else if (WITH_VALUE.contains(a) && i + 1 < args.length) {
        hoisted.add(a);
        hoisted.add(args[i + 1]);
        i += 2;
      } else if (a.startsWith("-o") && a.length() > 2 && !a.startsWith("--")) {
        hoisted.add(a); // -ojson
        i++;
      } else {
        break; // the command, or an option only the root takes (--help, --version)
      }
    }
    if (hoisted.isEmpty() || i == args.length) {
      return args; // nothing to move, or no command to move it to: let the root say what is wrong
    }
    List<String> out = new ArrayList<>(List.of(args).subList(i, args.length));
    out.addAll(hoisted);
    return out.toArray(String[]::new);
  }
}
