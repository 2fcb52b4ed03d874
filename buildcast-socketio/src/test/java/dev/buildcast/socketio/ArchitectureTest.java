package dev.buildcast.socketio;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * This module is a Socket.IO server and nothing else: it knows no job, log or upload, so Buildcast's
 * domain stays in buildcast-server and this layer can be tested (and replaced) on its own.
 */
class ArchitectureTest {

  private static final JavaClasses LIBRARY =
      new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void library_dependsOnlyOnTheJdkJettyJacksonAndSlf4j() {
    classes().should().onlyDependOnClassesThat()
        .resideInAnyPackage("dev.buildcast.socketio..", "java..", "javax.annotation..", "org.eclipse.jetty..",
            "com.fasterxml.jackson..", "org.slf4j..")
        .check(LIBRARY);
  }

  @Test
  void engineIo_knowsNothingOfTheSocketIoLayerAbove() {
    noClasses().that().resideInAPackage("dev.buildcast.socketio.engine..")
        .should().dependOnClassesThat().resideInAPackage("dev.buildcast.socketio")
        .check(LIBRARY);
  }

  @Test
  void packages_dependOnEachOther_withoutCycles() {
    slices().matching("dev.buildcast.socketio.(**)").should().beFreeOfCycles().check(LIBRARY);
  }
}
