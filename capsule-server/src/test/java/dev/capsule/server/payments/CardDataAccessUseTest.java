package dev.capsule.server.payments;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Only the vault (which seals card numbers) and the acquirer (which sends them to the bank) read card data: every
 * read passes {@link CardDataAccess}, and no other class of the server may name it.
 */
class CardDataAccessUseTest {
    private static final String VAULT = "dev.capsule.server.payments.internal.vault..";
    private static final String ACQUIRER = "dev.capsule.server.payments.internal.acquirer..";
    private static final ArchRule ONLY_VAULT_AND_ACQUIRER = noClasses()
            .that().resideOutsideOfPackages(VAULT, ACQUIRER)
            .and().doNotBelongToAnyOf(CardDataAccess.class, CardNumber.class, CardCode.class)
            .should().dependOnClassesThat().belongToAnyOf(CardDataAccess.class)
            .as("only the vault and the acquirer use CardDataAccess");

    @Test
    void onlyVaultAndAcquirerClassesUseCardDataAccess() {
        JavaClasses server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.capsule");

        ONLY_VAULT_AND_ACQUIRER.check(server);

        // Not vacuous: the vault does read card numbers, through CardDataAccess.
        assertThat(server.get("dev.capsule.server.payments.internal.vault.JdbcCardVault").getDirectDependenciesFromSelf())
                .anyMatch(dependency -> dependency.getTargetClass().isEquivalentTo(CardDataAccess.class));
    }

    @Test
    void aClassElsewhereThatReadsCardDataBreaksTheRule() {
        JavaClasses leaky = new ClassFileImporter().importClasses(LeakyReader.class);

        assertThat(ONLY_VAULT_AND_ACQUIRER.evaluate(leaky).hasViolation()).isTrue();
    }

    /** What the rule must catch: a class outside the vault and the acquirer reading a card number. */
    static final class LeakyReader {
        static String read(CardNumber number) {
            return number.digits(CardDataAccess.get());
        }
    }
}
