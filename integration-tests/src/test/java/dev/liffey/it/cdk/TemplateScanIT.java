package dev.liffey.it.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * checkov and cfn-lint, pinned, over every template {@code npx cdk synth} makes from the
 * repository's edge-regions.yaml, as a security review would run them: any finding not acknowledged
 * fails, listed. Acknowledgements live in one place each: checkov's as {@code
 * Metadata.checkov.skip} on the resource, with its reason ({@code dev.liffey.cdk.Checkov}),
 * cfn-lint's in {@code cdk-app/.cfnlintrc}. Both tools are installed into {@code target/scan-venv}
 * on first use (python3-venv and PyPI); every process is bounded. Over the 15 templates, checkov
 * takes about 10 s and cfn-lint about 10 s on the 2-core machine, so nothing is scanned in
 * parallel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateScanIT {
  static final String CHECKOV = "checkov==3.3.30";
  static final String CFN_LINT = "cfn-lint==1.58.0";
  private static final Path VENV = Path.of("target", "scan-venv").toAbsolutePath();
  private static final Path DIR = Path.of("target", "scan").toAbsolutePath();
  private static final Path CFNLINTRC = CdkCli.CDK_APP.resolve(".cfnlintrc");
  private static final ObjectMapper JSON = new ObjectMapper();

  private List<Path> templates;

  @BeforeAll
  @Timeout(
      value = 30,
      unit = TimeUnit.MINUTES) // npm ci and synth (CdkCli: 5 and 10 min), venv and pip (2 and 15)
  void synthesizeAndInstallTheScanners() throws Exception {
    if (Files.exists(DIR)) {
      try (Stream<Path> old = Files.walk(DIR)) {
        old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(DIR);
    install();
    Path out = DIR.resolve("cdk.out");
    int exit = CdkCli.synth(out, DIR.resolve("synth.log"), Map.of());
    assertThat(exit).as("npx cdk synth; log:%n%s", read("synth.log")).isZero();
    try (Stream<Path> files = Files.list(out)) {
      templates =
          files
              .filter(p -> p.getFileName().toString().endsWith(".template.json"))
              .sorted()
              .toList();
    }
    assertThat(templates).hasSizeGreaterThanOrEqualTo(15);
  }

  /** Both tools at their pinned versions in the venv, installing them when they are not. */
  private static synchronized void install() throws IOException, InterruptedException {
    if (version("checkov").equals(pinned(CHECKOV))
        && version("cfn-lint").equals("cfn-lint " + pinned(CFN_LINT))) {
      return;
    }
    Path venvLog = DIR.resolve("venv.log");
    Path pipLog = DIR.resolve("pip.log");
    if (CdkCli.run(List.of("python3", "-m", "venv", VENV.toString()), venvLog, Map.of(), 120)
        != 0) {
      throw new IllegalStateException(
          "cannot make " + VENV + " (needs python3-venv): " + Files.readString(venvLog));
    }
    List<String> pip =
        List.of(
            VENV.resolve("bin/pip").toString(),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            CHECKOV,
            CFN_LINT);
    if (CdkCli.run(pip, pipLog, Map.of(), 900) != 0) {
      throw new IllegalStateException(
          "cannot install "
              + CHECKOV
              + " and "
              + CFN_LINT
              + " into "
              + VENV
              + " (needs PyPI): "
              + Files.readString(pipLog));
    }
  }

  private static String pinned(String requirement) {
    return requirement.substring(requirement.indexOf("==") + 2);
  }

  /** {@code tool --version}'s first line, or "" when the venv has no such tool. */
  private static String version(String tool) throws IOException, InterruptedException {
    Path bin = VENV.resolve("bin").resolve(tool);
    if (!Files.isExecutable(bin)) {
      return "";
    }
    Path log = DIR.resolve(tool + "-version.log");
    if (CdkCli.run(List.of(bin.toString(), "--version"), log, Map.of(), 60) != 0) {
      return "";
    }
    return Files.readString(log).lines().findFirst().orElse("").trim();
  }

  private static String read(String log) throws IOException {
    return Files.readString(DIR.resolve(log));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void cfnLintFindsNothingUnacknowledged_inAnyTemplate() throws Exception {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            VENV.resolve("bin/cfn-lint").toString(),
            "--config-file",
            CFNLINTRC.toString(),
            "--format",
            "parseable",
            "--"));
    templates.forEach(t -> command.add(t.toString()));

    long start = System.nanoTime();
    int exit = CdkCli.run(command, DIR.resolve("cfn-lint.log"), Map.of(), 240);
    System.err.printf(
        "[liffey-it] %s over %d templates: %.1f s%n",
        CFN_LINT, templates.size(), (System.nanoTime() - start) / 1e9);

    List<String> findings =
        read("cfn-lint.log").lines().filter(l -> !l.isBlank()).map(this::relative).toList();
    assertThat(findings)
        .as(
            "cfn-lint findings (fix them, or acknowledge one with its reason in %s); exit %d",
            CFNLINTRC, exit)
        .isEmpty();
    assertThat(exit).as("cfn-lint exit code; log:%n%s", read("cfn-lint.log")).isZero();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void checkovFindsNothingUnacknowledged_inAnyTemplate_andEveryAcknowledgementSaysWhy()
      throws Exception {
    Path results = DIR.resolve("checkov");
    List<String> command = new ArrayList<>();
    command.add(VENV.resolve("bin/checkov").toString());
    templates.forEach(t -> command.addAll(List.of("-f", t.toString())));
    // --skip-download: no call to Prisma Cloud for guidelines, so the scan runs offline.
    command.addAll(
        List.of(
            "--framework",
            "cloudformation",
            "--compact",
            "--skip-download",
            "-o",
            "json",
            "--output-file-path",
            results.toString()));

    long start = System.nanoTime();
    int exit = CdkCli.run(command, DIR.resolve("checkov.log"), Map.of(), 240);
    System.err.printf(
        "[liffey-it] %s over %d templates: %.1f s%n",
        CHECKOV, templates.size(), (System.nanoTime() - start) / 1e9);

    Path json = results.resolve("results_json.json");
    assertThat(json).as("checkov's results; exit %d, log:%n%s", exit, read("checkov.log")).exists();
    JsonNode report = JSON.readTree(json.toFile());
    // One framework: one report; checkov writes a list when it ran several.
    List<JsonNode> reports = new ArrayList<>();
    (report.isArray() ? report.elements() : List.of(report).iterator())
        .forEachRemaining(reports::add);
    List<String> failed = new ArrayList<>();
    List<String> unexplained = new ArrayList<>();
    List<String> acknowledged = new ArrayList<>();
    int parsingErrors = 0;
    for (JsonNode r : reports) {
      parsingErrors += r.path("summary").path("parsing_errors").asInt();
      for (JsonNode f : r.path("results").path("failed_checks")) {
        failed.add(describe(f));
      }
      for (JsonNode s : r.path("results").path("skipped_checks")) {
        String why = s.path("check_result").path("suppress_comment").asText("");
        (why.isBlank() ? unexplained : acknowledged)
            .add(describe(s) + (why.isBlank() ? "" : ": " + why));
      }
    }
    System.err.println(
        "[liffey-it] checkov acknowledgements:\n  " + String.join("\n  ", acknowledged));

    assertThat(parsingErrors).as("templates checkov could not parse").isZero();
    assertThat(failed)
        .as(
            "checkov findings (fix them, or acknowledge one with its reason through"
                + " dev.liffey.cdk.Checkov beside the resource)")
        .isEmpty();
    assertThat(unexplained).as("checkov checks skipped without a reason").isEmpty();
    assertThat(exit).as("checkov exit code; log:%n%s", read("checkov.log")).isZero();
  }

  /** {@code CKV_AWS_88 AWS::EC2::LaunchTemplate.Relays... (Liffey-eu-west-1-Relay): name}. */
  private static String describe(JsonNode check) {
    String file = Path.of(check.path("file_path").asText()).getFileName().toString();
    return check.path("check_id").asText()
        + " "
        + check.path("resource").asText()
        + " ("
        + file.replace(".template.json", "")
        + "): "
        + check.path("check_name").asText();
  }

  /** A cfn-lint line with its template's path cut to the template's name. */
  private String relative(String line) {
    return line.replace(DIR.resolve("cdk.out") + "/", "");
  }
}
