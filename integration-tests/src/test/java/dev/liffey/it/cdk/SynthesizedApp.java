package dev.liffey.it.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CDK app as {@code npx cdk synth} makes it from the repository's {@code edge-regions.yaml},
 * synthesized once per test run into {@code target/synth/cdk.out} and shared by the tests that read
 * what it deploys.
 */
public final class SynthesizedApp {
  private static final Path DIR = Path.of("target", "synth").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path cdkOut;

  private SynthesizedApp() {}

  /**
   * The cloud assembly, synthesizing it on first use; or the one the system property {@code
   * liffey.it.cdkOut} names, synthesized before (to rerun one test quickly).
   */
  public static synchronized Path cdkOut() throws IOException, InterruptedException {
    String given = System.getProperty("liffey.it.cdkOut", "");
    if (!given.isBlank()) {
      return Path.of(given);
    }
    if (cdkOut == null) {
      if (Files.exists(DIR)) {
        try (Stream<Path> old = Files.walk(DIR)) {
          old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      Files.createDirectories(DIR);
      Path out = DIR.resolve("cdk.out");
      Path log = DIR.resolve("synth.log");
      int exit = CdkCli.synth(out, log, Map.of());
      if (exit != 0) {
        throw new AssertionError("npx cdk synth exited " + exit + ": " + Files.readString(log));
      }
      cdkOut = out;
    }
    return cdkOut;
  }

  /** A stack's template, e.g. {@code Liffey-eu-west-1-Eks}. */
  public static JsonNode template(String stack) throws IOException, InterruptedException {
    Path file = cdkOut().resolve(stack + ".template.json");
    if (!Files.exists(file)) {
      throw new AssertionError("the synthesized app has no stack " + stack + " in " + cdkOut());
    }
    return JSON.readTree(file.toFile());
  }
}
