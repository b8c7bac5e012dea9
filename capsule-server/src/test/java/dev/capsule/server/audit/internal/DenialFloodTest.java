package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.access.AccessDenied;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.testing.server.SharedPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A flood of denials cannot fill the audit queue that actions need, and is not lost: past half the queue
 * denials are counted (one row per reason) and become one summary entry per reason once there is room.
 */
class DenialFloodTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void denialsBeyondHalfTheQueueAreCountedThenSummarizedNeverDropped() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(SharedPostgres.newDatabase());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        LogStore store = new LogStore(jdbc, new JdbcTemplate(dataSource));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Sequencer sequencer = new Sequencer(jdbc, transactions, store, new SecurityEventEntries(null), meters, 4)) {
            PendingQueue queue = new PendingQueue(jdbc, sequencer);
            DenialAudit denials = new DenialAudit(queue, sequencer, null, jdbc, transactions, meters);
            OperatorId attacker = OperatorId.of(UUID.randomUUID());
            AccessDenied denied = new AccessDenied(attacker, null, "forbidden", "GET /api/v1/audit/entries", Permission.AUDIT_READ, null);

            denials.on(denied);
            denials.on(denied);
            assertThat(sequencer.measureBacklog()).as("until the queue is half full, one entry each").isEqualTo(2);
            for (int i = 0; i < 1_000; i++) {
                denials.on(denied);
            }
            denials.on(new AccessDenied(null, "0123456789abcdef", "step-up-required", "POST /api/v1/api-keys", null, null));
            assertThat(sequencer.measureBacklog()).as("the flood took no more than half of the queue").isEqualTo(2);
            assertThat(meters.get("capsule.audit.denials.summarized").counter().count()).isEqualTo(1_001);
            queue.add(UUID.randomUUID(), new EntryFields(UUID.randomUUID(), AuditEventType.OPERATOR_ENABLE));
            queue.add(UUID.randomUUID(), new EntryFields(UUID.randomUUID(), AuditEventType.OPERATOR_ENABLE));
            assertThat(sequencer.measureBacklog()).as("actions still find the other half").isEqualTo(4);
            assertThatThrownBy(() -> queue.add(UUID.randomUUID(), new EntryFields(UUID.randomUUID(), AuditEventType.OPERATOR_ENABLE)))
                    .as("a full queue refuses the action").isInstanceOf(IllegalStateException.class);

            denials.summarize();
            assertThat(jdbc.sql("SELECT count(*) FROM audit_denial_overflow").query(Long.class).single())
                    .as("no room yet: the counts wait").isEqualTo(2);
            sequencer.run(true);
            sequencer.measureBacklog();
            denials.summarize();
            sequencer.run(true);
            assertThat(jdbc.sql("SELECT count(*) FROM audit_denial_overflow").query(Long.class).single()).isZero();

            List<JsonNode> entries = store.entries(0, store.size()).stream().map(e -> JSON.readTree(e.entry())).toList();
            assertThat(entries.stream().filter(e -> e.get("type").asString().equals("access.deny")))
                    .hasSize(2).allSatisfy(e -> assertThat(e.get("actor").asString()).isEqualTo(attacker.toString()));
            assertThat(entries.stream().filter(e -> e.get("type").asString().equals("access.deny-summary"))
                    .map(e -> e.get("reason").asString() + "|" + e.get("detail").asString().replaceAll(" since .*", "")))
                    .containsExactlyInAnyOrder("forbidden|1000 denials not recorded one by one",
                            "step-up-required|1 denials not recorded one by one");
        }
    }
}
