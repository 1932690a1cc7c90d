package dev.liffey.autoscaler.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The engine is pure: the same engine runs against AWS, an emulator and the simulator. */
class EngineArchitectureTest {
  private static final String[] IO = {
    "software.amazon.awssdk..",
    "io.fabric8..",
    "org.quartz..",
    "dev.liffey.autoscaler.sim..",
    "dev.liffey.autoscaler.daemon..",
    "java.net..",
    "java.nio.file.."
  };
  private static final JavaClasses AUTOSCALER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.liffey.autoscaler");

  private static ArchRule noIoIn(String packages) {
    return noClasses()
        .that()
        .resideInAPackage(packages)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(IO)
        .because(
            "the engine takes observations and a clock and returns a decision; I/O lives behind its ports");
  }

  @Test
  void theEngineImportsNoAwsSdkFabric8QuartzOrSimulator() {
    noIoIn("dev.liffey.autoscaler.engine..").check(AUTOSCALER);
  }

  @Test
  void theEngineImportsNoneOfItsAdapters_norTheOnCallLayerBuiltOnIt() {
    noClasses()
        .that()
        .resideInAPackage("dev.liffey.autoscaler.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.liffey.autoscaler.aws..",
            "dev.liffey.autoscaler.k8s..",
            "dev.liffey.autoscaler.control..",
            "dev.liffey.autoscaler.daemon..",
            "dev.liffey.autoscaler.ops..")
        .check(AUTOSCALER);
  }

  @Test
  void onCallsActionsRunOnPorts_noAwsKubernetesOrQuartz() {
    // ops.aws is the wiring of those ports to AWS and Kubernetes, for the CLI; ops itself is ports
    // only.
    noClasses()
        .that()
        .resideInAPackage("dev.liffey.autoscaler.ops")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "software.amazon.awssdk..",
            "io.fabric8..",
            "org.quartz..",
            "dev.liffey.autoscaler.aws..",
            "dev.liffey.autoscaler.k8s..",
            "dev.liffey.autoscaler.control..",
            "dev.liffey.autoscaler.daemon..",
            "dev.liffey.autoscaler.sim..")
        .because(
            "the same actions run against AWS from the CLI and against the simulated cloud in tests")
        .check(AUTOSCALER);
  }

  @Test
  void theSameRuleCatchesTheDaemonsQuartzImports() {
    assertThatThrownBy(() -> noIoIn("dev.liffey.autoscaler.daemon..").check(AUTOSCALER))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("org.quartz");
  }
}
