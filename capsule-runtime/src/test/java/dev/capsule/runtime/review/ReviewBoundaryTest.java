package dev.capsule.runtime.review;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.capsule.runtime.internal.Apis;
import dev.capsule.runtime.internal.GuestScripts;
import org.junit.jupiter.api.Test;

/**
 * The review reads the runtime through exactly two doors: the API registry ({@link Apis}, read-only)
 * and the one parse setup ({@link GuestScripts}); it never reaches sessions, the engine or the bridge.
 */
class ReviewBoundaryTest {
    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.capsule.runtime");

    @Test
    void theReviewUsesOnlyTheApiRegistryAndTheParseSetupOfTheInternals() {
        noClasses().that().resideInAPackage("dev.capsule.runtime.review..")
                .should().dependOnClassesThat(resideInAPackage("dev.capsule.runtime.internal..")
                        .and(not(belongToAnyOf(Apis.class, GuestScripts.class))))
                .check(RUNTIME);
    }

    @Test
    void theReviewDoesNotTouchThePolyglotEngine() {
        noClasses().that().resideInAPackage("dev.capsule.runtime.review..")
                .should().dependOnClassesThat().resideInAnyPackage("org.graalvm..", "com.oracle.truffle..")
                .check(RUNTIME);
    }
}
