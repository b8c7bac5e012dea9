package dev.capsule.server.registry;

import java.nio.charset.StandardCharsets;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The advisories module's store as {@code capsule osv import} leaves it after importing one advisory: a
 * completed import and {@code left-pad} below 1.3.0 CRITICAL. Written with SQL into the real tables (V70),
 * so the registry's supply-chain scan runs against the server's own {@code AdvisorySource}.
 */
final class TestAdvisories {
    static final String VULNERABLE_LIBRARY = "left-pad";
    static final String ADVISORY_ID = "GHSA-test-left-pad";

    private TestAdvisories() {
    }

    static void imported(JdbcClient jdbc) {
        String osv = """
                {"schema_version": "1.6.0", "id": "%s", "modified": "2024-01-01T00:00:00Z",
                 "summary": "left-pad pads too much",
                 "database_specific": {"severity": "CRITICAL"},
                 "affected": [{"package": {"ecosystem": "npm", "name": "%s"},
                               "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
                """.formatted(ADVISORY_ID, VULNERABLE_LIBRARY);
        jdbc.sql("INSERT INTO osv_advisories (id, modified, document) VALUES (?, '2024-01-01T00:00:00Z', ?) ON CONFLICT DO NOTHING")
                .params(ADVISORY_ID, osv.getBytes(StandardCharsets.UTF_8)).update();
        jdbc.sql("INSERT INTO osv_affected (ecosystem, name, advisory_id) VALUES ('npm', ?, ?) ON CONFLICT DO NOTHING")
                .params(VULNERABLE_LIBRARY, ADVISORY_ID).update();
        if (jdbc.sql("SELECT count(*) FROM osv_imports WHERE outcome = 'completed'").query(Long.class).single() == 0) {
            jdbc.sql("INSERT INTO osv_imports (file_name, finished_at, outcome, entries, inserted) "
                    + "VALUES ('test-all.zip', clock_timestamp(), 'completed', 1, 1)").update();
        }
    }
}
