package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.SharedPostgres;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Upgrading a database whose log already has entries indexes those that name a user (V105's backfill), and no other. */
class AuditUserEntriesMigrationTest {
    private static final String ADA = "0123456789abcdef0123456789abcdef";
    private static final String BOB = "fedcba9876543210fedcba9876543210";

    @Test
    void entriesAlreadyInTheLogAreIndexedByTheirUserOnUpgrade() {
        String database = SharedPostgres.newDatabase();
        Flyway.configure().dataSource(database, null, null).locations("classpath:db/migration").target("103").load().migrate();
        JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(database));
        List<String> entries = List.of(
                "{\"index\":0,\"time\":\"2026-01-01T00:00:00.000000Z\",\"type\":\"shell.enter\",\"user\":\"" + ADA + "\"}",
                "{\"index\":1,\"time\":\"2026-01-01T00:00:01.000000Z\",\"type\":\"operator.enable\"}",
                "{\"index\":2,\"time\":\"2026-01-01T00:00:02.000000Z\",\"type\":\"shell.enter\",\"user\":\"" + BOB + "\"}",
                "{\"index\":3,\"time\":\"2026-01-01T00:00:03.000000Z\",\"type\":\"session.end\",\"user\":\"" + ADA + "\"}",
                "{\"index\":4,\"time\":\"2026-01-01T00:00:04.000000Z\",\"type\":\"odd\",\"user\":\"not a pseudonym\"}");
        for (int i = 0; i < entries.size(); i++) {
            jdbc.sql("INSERT INTO audit_entries (idx, entry) VALUES (?, ?)").params(i, entries.get(i).getBytes(StandardCharsets.UTF_8)).update();
        }

        Flyway.configure().dataSource(database, null, null).locations("classpath:db/migration").target("105").load().migrate();

        assertThat(jdbc.sql("SELECT user_tag || '@' || idx FROM audit_user_entries ORDER BY idx").query(String.class).list())
                .containsExactly(ADA + "@0", BOB + "@2", ADA + "@3");
    }
}
