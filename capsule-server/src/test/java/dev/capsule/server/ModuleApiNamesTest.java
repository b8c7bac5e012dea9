package dev.capsule.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * No two types of the modules' public APIs share a simple name (nested public types included): a reader
 * of {@code KeyEvent} in one module must never mistake it for another module's (the access module's API
 * key events and the keys module's key events were both called {@code KeyEvent}).
 */
class ModuleApiNamesTest {
    private static final String ROOT = "dev.capsule.server";

    @Test
    void publicApiTypeNamesAreUniqueAcrossModules() {
        JavaClasses server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        Map<String, List<String>> byName = new TreeMap<>();
        for (JavaClass type : server) {
            String packageName = type.getPackageName();
            boolean apiPackage = packageName.startsWith(ROOT + ".") && packageName.substring(ROOT.length() + 1).indexOf('.') < 0;
            if (apiPackage && type.getModifiers().contains(JavaModifier.PUBLIC) && !type.isAnonymousClass()) {
                byName.computeIfAbsent(type.getSimpleName(), name -> new ArrayList<>()).add(type.getName());
            }
        }
        assertThat(byName).as("public API types of the server's modules").containsKeys("OperatorId", "ApiKeyEvent", "KeyEvent");
        assertThat(byName.entrySet().stream().filter(entry -> entry.getValue().size() > 1).map(Map.Entry::getValue).toList())
                .as("public API type names used more than once").isEmpty();
    }
}
