package dev.capsule.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * capsule-core is the bottom of the stack: it depends on no other Capsule module and on no framework,
 * only on the JDK, Jackson (JSON), Bouncy Castle (Ed25519) and ZXing's core (QR codes for TOTP enrolment).
 */
class ModuleBoundaryTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.capsule.core");

    @Test
    void coreDependsOnlyOnTheJdkJacksonBouncyCastleAndZxing() {
        classes().that().resideInAPackage("dev.capsule.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "dev.capsule.core..", "java..", "javax.annotation..", "javax.crypto..", "javax.imageio..",
                        "tools.jackson..", "org.bouncycastle.math.ec.rfc8032..", "com.google.zxing..")
                .check(CORE);
    }

    @Test
    void corePackagesHaveNoCycles() {
        slices().matching("dev.capsule.core.(*)..").should().beFreeOfCycles().check(CORE);
    }
}
