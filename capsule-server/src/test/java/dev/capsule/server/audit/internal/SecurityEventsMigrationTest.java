package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TwoNodes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Upgrading a database that has security_events moves every row into the log, in order, at its time, the address sealed. */
class SecurityEventsMigrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void securityEventsJoinTheLogOnUpgrade() {
        String database = SharedPostgres.newDatabase();
        Flyway.configure().dataSource(database, null, null).locations("classpath:db/migration").target("22").load().migrate();
        JdbcClient old = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(database));
        UUID operator = UUID.randomUUID();
        old.sql("""
                INSERT INTO security_events (occurred_at, event_type, outcome, actor_id, subject_id, reason, source_address, api_key_id) VALUES
                ('2026-01-02T03:04:05.123456Z', 'sign-in.password', 'failure', ?, ?, 'wrong-password', '203.0.113.9', NULL),
                ('2026-01-02T03:04:06Z', 'api-key.refused', 'failure', NULL, NULL, 'wrong-secret', '203.0.113.10', '0123456789abcdef'),
                ('2026-01-02T03:04:07Z', 'operator.bootstrap', 'success', NULL, ?, NULL, NULL, NULL)""")
                .params(operator, operator, operator).update();

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (TwoNodes.Node node = TwoNodes.Node.start(database, Base64.getEncoder().encodeToString(key))) {
            LogStore.StoredCheckpoint checkpoint = node.context().getBean(CheckpointPublisher.class).publishNow();
            List<JsonNode> entries = node.context().getBean(LogStore.class).entries(0, 3).stream()
                    .map(e -> JSON.readTree(new String(e.entry(), StandardCharsets.UTF_8))).toList();
            Pseudonyms pseudonyms = node.context().getBean(Pseudonyms.class);
            SubjectKeys subjectKeys = node.context().getBean(SubjectKeys.class);
            assertThat(checkpoint.size()).isGreaterThanOrEqualTo(3);

            JsonNode signIn = entries.get(0);
            assertThat(signIn.get("index").asLong()).isZero();
            assertThat(signIn.get("time").asString()).isEqualTo("2026-01-02T03:04:05.123456Z");
            assertThat(signIn.get("type").asString()).isEqualTo("sign-in.password");
            assertThat(signIn.get("reason").asString()).isEqualTo("wrong-password");
            assertThat(signIn.get("address").asString()).isEqualTo(pseudonyms.tag("203.0.113.9"));
            byte[] sealed = Base64.getDecoder().decode(signIn.get("sealed").get("data").asString());
            // Sealed under the operator's key of the entry's own month, recorded for the purge audit.detail-keys.
            UUID monthKey = PersonalDetails.monthKey(operator, java.time.YearMonth.of(2026, 1));
            assertThat(signIn.get("sealed").get("subject").asString()).isEqualTo(monthKey.toString());
            assertThat(node.jdbc().sql("SELECT operator_id::text || ' ' || month FROM audit_detail_keys WHERE detail_key = :k")
                    .param("k", monthKey).query(String.class).single()).isEqualTo(operator + " 2026-01-01");
            assertThat(new String(subjectKeys.open(monthKey, sealed,
                    PersonalDetails.place(UUID.fromString(signIn.get("event").asString()))).orElseThrow(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"address\":\"203.0.113.9\"}");

            JsonNode refused = entries.get(1);
            assertThat(refused.get("time").asString()).isEqualTo("2026-01-02T03:04:06.000000Z");
            assertThat(refused.get("apiKey").asString()).isEqualTo("0123456789abcdef");
            assertThat(refused.get("address").asString()).isEqualTo(pseudonyms.tag("203.0.113.10"));
            assertThat(refused.has("sealed")).as("no person to seal for: the pseudonym only").isFalse();

            assertThat(entries.get(2).get("type").asString()).isEqualTo("operator.bootstrap");
            assertThat(entries.toString()).doesNotContain("203.0.113");
            assertThat(node.jdbc().sql("SELECT to_regclass('security_events') IS NULL").query(Boolean.class).single()).isTrue();
        }
    }
}
