package dev.buildcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The package structure docs/architecture.md describes, as rules the build checks: which packages
 * may use which, no cycles, and where each technology may appear. A change that breaks one of
 * these either fixes its dependency or changes the architecture on purpose, here and in the doc.
 */
class ArchitectureTest {

  private static final JavaClasses PRODUCT =
      new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void packages_dependOnEachOther_withoutCycles() {
    slices().matching("dev.buildcast.(**)").should().beFreeOfCycles().check(PRODUCT);
  }

  @Test
  void rootPackage_isALeaf_thatOnlyHoldsTheSharedException() {
    classes().that().resideInAPackage("dev.buildcast")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.buildcast", "java..")
        .check(PRODUCT);
  }

  @Test
  void layers_pointDown_fromTheWiringToTheEdgesToTheDomain() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Wiring").definedBy("dev.buildcast.app..")
        .layer("Command line client").definedBy("dev.buildcast.cli..")
        .layer("Edges").definedBy("dev.buildcast.http..", "dev.buildcast.socket..")
        .layer("Notifications").definedBy("dev.buildcast.notify..")
        .layer("Wire payloads").definedBy("dev.buildcast.protocol..")
        .layer("Configuration").definedBy("dev.buildcast.config..")
        // why the cluster adapters too: they are the shared-store versions of the same ports, and
        // share the stored form of a job record (storage.JobRecordJson) with the file adapters
        .layer("Storage adapters").definedBy("dev.buildcast.storage..", "dev.buildcast.cluster..")
        .layer("Metrics").definedBy("dev.buildcast.metrics..")
        .layer("Outbound addresses").definedBy("dev.buildcast.net..")
        .layer("Built-in generators").definedBy("dev.buildcast.generator.openevent..", "dev.buildcast.generator.docs..")
        .layer("Domain").definedBy("dev.buildcast.job..", "dev.buildcast.log..", "dev.buildcast.generator",
            "dev.buildcast.upload..", "dev.buildcast.limits..", "dev.buildcast.blob..", "dev.buildcast.time..")
        .whereLayer("Wiring").mayNotBeAccessedByAnyLayer()
        .whereLayer("Command line client").mayOnlyBeAccessedByLayers("Wiring")
        .whereLayer("Edges").mayOnlyBeAccessedByLayers("Wiring")
        // why storage adapters too: the file adapter of the notification store implements notify's port
        .whereLayer("Notifications").mayOnlyBeAccessedByLayers("Wiring", "Edges", "Storage adapters")
        .whereLayer("Wire payloads").mayOnlyBeAccessedByLayers("Wiring", "Edges", "Notifications")
        .whereLayer("Configuration").mayOnlyBeAccessedByLayers("Wiring", "Notifications")
        .whereLayer("Storage adapters").mayOnlyBeAccessedByLayers("Wiring")
        .whereLayer("Metrics").mayOnlyBeAccessedByLayers("Wiring", "Edges")
        .whereLayer("Outbound addresses").mayOnlyBeAccessedByLayers("Notifications", "Built-in generators")
        // why configuration too: it turns a built-in generator's section (docsSite:) into that generator's settings
        .whereLayer("Built-in generators").mayOnlyBeAccessedByLayers("Wiring", "Configuration")
        .check(PRODUCT);
  }

  @Test
  void domain_usesOnlyTheJdkAndSlf4j() {
    classes().that().resideInAnyPackage("dev.buildcast.job..", "dev.buildcast.log..", "dev.buildcast.generator",
            "dev.buildcast.upload..", "dev.buildcast.limits..", "dev.buildcast.blob..", "dev.buildcast.time..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.slf4j..", "dev.buildcast", "dev.buildcast.job..",
            "dev.buildcast.log..", "dev.buildcast.generator", "dev.buildcast.upload..", "dev.buildcast.limits..",
            "dev.buildcast.blob..", "dev.buildcast.time..")
        .check(PRODUCT);
  }

  @Test
  void socketIoLibrary_isUsedOnlyByTheSocketEdgeAndTheWiring() {
    noClasses().that().resideOutsideOfPackages("dev.buildcast.socket..", "dev.buildcast.app..", "dev.buildcast.socketio..")
        .should().dependOnClassesThat().resideInAPackage("dev.buildcast.socketio..")
        .check(PRODUCT);
  }

  @Test
  void jettyServer_isUsedOnlyByTheHttpEdgeAndTheWiring() {
    noClasses().that().resideOutsideOfPackages("dev.buildcast.http..", "dev.buildcast.app..", "dev.buildcast.socketio..")
        .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty.server..", "org.eclipse.jetty.websocket..")
        .check(PRODUCT);
  }

  @Test
  void jettyHttpClient_isUsedOnlyForConnectionsToAddressesUsersName() {
    // why Jetty's client there: it connects to the addresses net.OutboundAddresses resolved and
    // checked, so a second DNS answer cannot send a webhook or an image request somewhere else; the
    // JDK's client cannot be told to. The image fetcher is its one user outside notify and net.
    noClasses().that().resideOutsideOfPackages("dev.buildcast.notify..", "dev.buildcast.net..")
        .and().haveNameNotMatching(IMAGE_FETCHER)
        .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty.client..")
        .check(PRODUCT);
    noClasses().that().resideOutsideOfPackages("dev.buildcast.http..", "dev.buildcast.app..", "dev.buildcast.notify..",
            "dev.buildcast.net..")
        .and().haveNameNotMatching(IMAGE_FETCHER)
        .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
        .check(PRODUCT);
  }

  /** The open-event-site generator's HTTP adapter and its nested classes. */
  private static final String IMAGE_FETCHER = "dev\\.buildcast\\.generator\\.openevent\\.HttpImageFetcher(\\$.*)?";

  @Test
  void redisClient_isKnownOnlyToTheClusterAdapters() {
    noClasses().that().resideOutsideOfPackage("dev.buildcast.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "io.netty..", "reactor..")
        .check(PRODUCT);
  }

  @Test
  void awsSdk_isKnownOnlyToTheObjectStorageAdapter() {
    noClasses().that().resideOutsideOfPackage("dev.buildcast.storage.s3..")
        .should().dependOnClassesThat().resideInAPackage("software.amazon..")
        .check(PRODUCT);
  }

  @Test
  void micrometer_isKnownOnlyToTheMetricsPackage() {
    noClasses().that().resideOutsideOfPackage("dev.buildcast.metrics..")
        .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
        .check(PRODUCT);
  }

  @Test
  void mailAndTemplates_stayWithTheirOneUser() {
    noClasses().that().resideOutsideOfPackage("dev.buildcast.notify..")
        .should().dependOnClassesThat().resideInAPackage("jakarta.mail..")
        .check(PRODUCT);
    noClasses().that().resideOutsideOfPackage("dev.buildcast.generator..")
        .should().dependOnClassesThat().resideInAPackage("io.pebbletemplates..")
        .check(PRODUCT);
  }

  @Test
  void commandLineClient_usesNoServerClass() {
    classes().that().resideInAPackage("dev.buildcast.cli..")
        .should().onlyDependOnClassesThat().resideOutsideOfPackages("dev.buildcast.job..", "dev.buildcast.log..",
            "dev.buildcast.generator..", "dev.buildcast.upload..", "dev.buildcast.http..", "dev.buildcast.socket..",
            "dev.buildcast.socketio..", "dev.buildcast.storage..", "dev.buildcast.app..", "dev.buildcast.notify..",
            "dev.buildcast.config..", "dev.buildcast.protocol..", "dev.buildcast.metrics..", "dev.buildcast.limits..",
            "dev.buildcast.blob..", "dev.buildcast.cluster..")
        .check(PRODUCT);
  }
}
