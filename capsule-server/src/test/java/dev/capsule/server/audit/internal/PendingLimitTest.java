package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.testing.server.SharedPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** A queue over its limit refuses new events until the sequencer drains it; the drained events are all in the log. */
class PendingLimitTest {

    @Test
    void recordingIsRefusedWhileTheQueueIsOverItsLimit() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(SharedPostgres.newDatabase());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        LogStore store = new LogStore(jdbc, new JdbcTemplate(dataSource));
        try (Sequencer sequencer = new Sequencer(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), store,
                new SecurityEventEntries(null), new SimpleMeterRegistry(), 3)) {
            PendingQueue queue = new PendingQueue(jdbc, sequencer);
            for (int i = 0; i < 3; i++) {
                queue.add(UUID.randomUUID(), new EntryFields(UUID.randomUUID(), AuditEventType.OPERATOR_ENABLE).reason("r" + i));
            }
            assertThat(sequencer.measureBacklog()).isEqualTo(3);
            assertThatThrownBy(() -> queue.add(UUID.randomUUID(), new EntryFields(UUID.randomUUID(), AuditEventType.OPERATOR_ENABLE)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused");

            assertThat(sequencer.run(true)).isEqualTo(3);
            assertThat(sequencer.measureBacklog()).isZero();
            queue.add(UUID.randomUUID(), new EntryFields(UUID.randomUUID(), AuditEventType.OPERATOR_ENABLE).reason("after"));
            assertThat(sequencer.run(true)).isEqualTo(1);
            assertThat(store.size()).isEqualTo(4);
        }
    }
}
