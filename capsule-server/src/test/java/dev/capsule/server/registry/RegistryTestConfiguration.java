package dev.capsule.server.registry;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.osv.Advisory;
import dev.capsule.core.osv.AdvisorySource;
import dev.capsule.core.osv.OsvParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Test wiring of the registry tests: a recorder of {@link PackageApproved} events (what the releases module
 * listens to), and the advisory source the registry tests run the supply-chain scan against: real OSV documents parsed by
 * core's parser, answered by ecosystem and name. (The advisories module's PostgreSQL store takes its place
 * once that module is merged; until then the server has no source and refuses uploads.) One advisory:
 * {@code left-pad} below 1.3.0 is CRITICAL.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RegistryTestConfiguration {
    static final String VULNERABLE_LIBRARY = "left-pad";
    static final String ADVISORY_ID = "GHSA-test-left-pad";

    @Bean
    AdvisorySource registryTestAdvisories() throws JsonFormatException {
        String osv = """
                {"schema_version": "1.6.0", "id": "%s", "modified": "2024-01-01T00:00:00Z",
                 "summary": "left-pad pads too much",
                 "database_specific": {"severity": "CRITICAL"},
                 "affected": [{"package": {"ecosystem": "npm", "name": "%s"},
                               "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
                """.formatted(ADVISORY_ID, VULNERABLE_LIBRARY);
        List<Advisory> advisories = List.of(OsvParser.parse(osv.getBytes(StandardCharsets.UTF_8), "test advisory"));
        return pkg -> advisories.stream()
                .filter(a -> a.affected().stream().anyMatch(affected -> affected.pkg().samePackage(pkg)))
                .toList();
    }

    @Bean
    ApprovedEvents approvedEvents() {
        return new ApprovedEvents();
    }

    /** Every {@link PackageApproved} published, with whether a transaction was active (it must be). */
    public static final class ApprovedEvents {
        final List<PackageApproved> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Boolean> inTransaction = new java.util.concurrent.CopyOnWriteArrayList<>();

        @org.springframework.context.event.EventListener
        void on(PackageApproved event) {
            events.add(event);
            inTransaction.add(org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive());
        }
    }
}
