package dev.capsule.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The runtime's module boundaries: no Spring; GraalJS types stay inside the engine code, so the
 * public API and the storage and network modules do not leak or depend on the engine; the storage
 * and network modules and the release client do not reach into the session internals.
 */
class RuntimeBoundaryTest {
    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.capsule.runtime");

    @Test
    void runtimeUsesNoSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(RUNTIME);
    }

    @Test
    void onlyTheEngineCodeTouchesGraalJs() {
        noClasses().that().resideOutsideOfPackage("dev.capsule.runtime.internal..")
                .and().doNotHaveFullyQualifiedName(CapsuleRuntime.class.getName())
                .should().dependOnClassesThat().resideInAPackage("org.graalvm..")
                .check(RUNTIME);
    }

    @Test
    void storageAndNetworkStandAlone() {
        noClasses().that().resideInAnyPackage("dev.capsule.runtime.storage..", "dev.capsule.runtime.net..", "dev.capsule.runtime.host..",
                        "dev.capsule.runtime.release..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.capsule.runtime.internal..")
                .check(RUNTIME);
    }
}
