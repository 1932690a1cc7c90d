package dev.liffey.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The CLI parses, calls and renders: on-call's actions live in {@code ops}, which it reaches AWS
 * and Kubernetes through ({@code ops.aws}); it wires no adapter itself and knows nothing of the
 * daemon. It speaks the engine's vocabulary (fleets, plans, decisions) and runs the simulator.
 */
class CliArchitectureTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.liffey.cli");

  private static ArchRule noAdapters(String... packages) {
    return noClasses()
        .that()
        .resideInAPackage("dev.liffey.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages)
        .because("the CLI reaches AWS and Kubernetes through ops, never through the adapters");
  }

  @Test
  void theCliUsesOpsCoreEngineAndSim_neverTheAdaptersTheDaemonOrFabric8() {
    noAdapters(
            "dev.liffey.autoscaler.aws..",
            "dev.liffey.autoscaler.k8s..",
            "dev.liffey.autoscaler.control..",
            "dev.liffey.autoscaler.daemon..",
            "io.fabric8..")
        .check(CLI);
  }

  @Test
  void theRuleSeesWhatTheCliDoesImport() {
    assertThatThrownBy(() -> noAdapters("dev.liffey.autoscaler.ops..").check(CLI))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("dev.liffey.autoscaler.ops");
  }
}
