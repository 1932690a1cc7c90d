package dev.liffey.cli;

/**
 * The jar's entry point. {@code liffey --version} is answered from the jar's manifest alone, with
 * no command model built: it is what on-call runs first to see that the tool works, and it should
 * cost no more than the JVM does. Everything else goes to {@link LiffeyCli}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      System.out.println(version());
      return;
    }
    LiffeyCli.main(args);
  }

  /** {@code liffey 0.1.0}, from the version Maven stamped into the manifest. */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return "liffey " + (v == null ? "(development build)" : v);
  }
}
