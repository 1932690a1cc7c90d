package dev.liffey.autoscaler.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The engine is pure: the same engine runs against AWS, an emulator and the simulator. */
@AnalyzeClasses(packages = "dev.liffey.autoscaler", importOptions = ImportOption.DoNotIncludeTests.class)
class EngineArchitectureTest {
  @ArchTest
  static final ArchRule engineHasNoIo = noClasses().that().resideInAPackage("dev.liffey.autoscaler.engine..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "software.amazon.awssdk..", "io.fabric8..", "org.quartz..", "dev.liffey.autoscaler.sim..",
          "dev.liffey.autoscaler.daemon..", "java.net..", "java.nio.file..")
      .because("the engine takes observations and a clock and returns a decision; I/O lives behind its ports");
}
