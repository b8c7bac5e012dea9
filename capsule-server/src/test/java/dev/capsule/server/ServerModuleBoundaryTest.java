package dev.capsule.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The server's module rules: each direct subpackage of {@code dev.capsule.server} is a module; other
 * modules (and the application class) use only its base package, never its {@code internal}
 * packages; modules do not depend on each other in cycles.
 */
class ServerModuleBoundaryTest {
    private static final String ROOT = "dev.capsule.server";
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void modulesUseEachOtherOnlyThroughTheirBasePackage() {
        Set<String> modules = modules();
        assertThat(modules).contains("platform");
        for (String module : modules) {
            noClasses().that().resideOutsideOfPackage(ROOT + "." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage(ROOT + "." + module + ".internal..")
                    .as("only module '" + module + "' itself uses its internal packages")
                    .check(SERVER);
        }
    }

    @Test
    void modulesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void noModuleDependsOnTheApplicationClass() {
        noClasses().that().resideInAPackage(ROOT + ".*..")
                .should().dependOnClassesThat().belongToAnyOf(CapsuleServer.class)
                .check(SERVER);
    }

    private static Set<String> modules() {
        Set<String> modules = new TreeSet<>();
        for (JavaClass type : SERVER) {
            String name = type.getPackageName();
            if (name.startsWith(ROOT + ".")) {
                modules.add(name.substring(ROOT.length() + 1).split("\\.")[0]);
            }
        }
        return modules;
    }
}
