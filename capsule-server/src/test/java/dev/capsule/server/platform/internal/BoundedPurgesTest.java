package dev.capsule.server.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges.PurgeRun;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.RetentionCategory;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The platform's one retention mechanism on real PostgreSQL, over a table of this test's own: a purge deletes the rows
 * its condition selects and keeps the rest, bounds a run's work, never waits for a row another transaction holds, and
 * two nodes running it at once both succeed and delete each row once; a run that deleted rows, or failed, is one
 * {@code retention.sweep} audit entry, and a run that deleted nothing is none; a purge's after-delete action runs in the
 * statement's transaction.
 */
@CapsuleServerTest
class BoundedPurgesTest {
    private static final String TABLE = "retention_test_rows";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    Residency residency;

    final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void freshTable() {
        jdbc.sql("DROP TABLE IF EXISTS " + TABLE).update();
        jdbc.sql("CREATE TABLE " + TABLE + " (id integer PRIMARY KEY, expires_at timestamptz NOT NULL)").update();
    }

    private static Purge purge(int rowsPerStatement, int statementsPerRun) {
        return new Purge("test.rows", TABLE, "expires_at < :cutoff", Duration.ofHours(1), rowsPerStatement, statementsPerRun,
                Duration.ofMinutes(5));
    }

    private BoundedPurges node(Purge... purges) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("meters", meters);
        return new BoundedPurges(residency, events, List.of(purges), beans.getBeanProvider(MeterRegistry.class));
    }

    /** Rows {@code from..to} (inclusive) that expired {@code agoMinutes} minutes ago. */
    private void rows(int from, int to, int agoMinutes) {
        jdbc.sql("INSERT INTO " + TABLE + " SELECT i, clock_timestamp() - make_interval(mins => :ago) FROM generate_series(:from, :to) i")
                .param("ago", agoMinutes).param("from", from).param("to", to).update();
    }

    private List<Integer> remaining() {
        return jdbc.sql("SELECT id FROM " + TABLE + " ORDER BY id").query(Integer.class).list();
    }

    @Test
    void deletesRowsPastTheirRetentionAndKeepsTheRest() {
        rows(1, 3, 61);   // expired an hour and a minute ago: past keptFor
        rows(4, 6, 59);   // expired, but still inside keptFor
        rows(7, 9, -10);  // not expired at all

        PurgeRun run = node(purge(100, 1)).run("test.rows");

        assertThat(run).isEqualTo(new PurgeRun("test.rows", 3, 1, true));
        assertThat(remaining()).containsExactly(4, 5, 6, 7, 8, 9);
        assertThat(meters.get(BoundedPurges.DELETED_METRIC).tag("purge", "test.rows").counter().count()).isEqualTo(3);
    }

    @Test
    void aRunDeletesAtMostRowsPerStatementTimesStatementsPerRun() {
        rows(1, 25, 120);
        BoundedPurges node = node(purge(4, 3));

        assertThat(node.run("test.rows")).isEqualTo(new PurgeRun("test.rows", 12, 3, false));
        assertThat(remaining()).hasSize(13);
        assertThat(node.run("test.rows")).isEqualTo(new PurgeRun("test.rows", 12, 3, false));
        assertThat(node.run("test.rows")).as("the last row, then a statement that finds fewer than it could")
                .isEqualTo(new PurgeRun("test.rows", 1, 1, true));
        assertThat(remaining()).isEmpty();
    }

    @Test
    void aRowAnotherTransactionHoldsIsSkippedNotWaitedForAndGoesInALaterRun() throws Exception {
        rows(1, 5, 120);
        BoundedPurges node = node(purge(100, 1));
        try (Connection holder = dataSource.getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("SELECT id FROM " + TABLE + " WHERE id = 3 FOR UPDATE");

            PurgeRun run = CompletableFuture.supplyAsync(() -> node.run("test.rows")).get(10, TimeUnit.SECONDS);

            assertThat(run.deleted()).isEqualTo(4);
            assertThat(remaining()).containsExactly(3);
            holder.rollback();
        }
        assertThat(node.run("test.rows").deleted()).isEqualTo(1);
        assertThat(remaining()).isEmpty();
    }

    @Test
    void twoNodesRunningOnePurgeAtOnceBothSucceedAndDeleteEachRowOnce() throws Exception {
        rows(1, 20_000, 120);
        rows(20_001, 20_100, -10);
        List<BoundedPurges> nodes = List.of(node(purge(500, 100)), node(purge(500, 100)));
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Long>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                BoundedPurges node = nodes.get(i % 2);
                runs.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return node.run("test.rows").deleted();
                }, threads));
            }
            start.countDown();
            long deleted = 0;
            for (CompletableFuture<Long> run : runs) {
                deleted += run.get(60, TimeUnit.SECONDS);
            }
            assertThat(deleted).as("every expired row deleted exactly once across the runs").isEqualTo(20_000);
        }
        assertThat(remaining()).hasSize(100).allMatch(id -> id > 20_000);
    }

    @Test
    void aFailingScheduledRunIsCountedAndDoesNotThrow() {
        Purge broken = new Purge("test.broken", "retention_test_no_such_table", "expires_at < :cutoff", Duration.ZERO, 10, 1,
                Duration.ofMinutes(5));
        BoundedPurges node = node(broken);

        node.scheduled(broken);

        assertThat(meters.get(BoundedPurges.FAILURES_METRIC).tag("purge", "test.broken").counter().count()).isEqualTo(1);
        assertThatThrownBy(() -> node.run("test.broken")).as("run on demand reports the failure").isInstanceOf(RuntimeException.class);
        List<JsonNode> failures = sweeps("test.broken");
        assertThat(failures).as("each failed run is audited").hasSize(2);
        assertThat(AuditEvents.line(failures.getFirst(), " ", "outcome", "reason")).isEqualTo("failure run-failed");
        assertThat(AuditEvents.text(failures.getFirst(), "detail")).startsWith("category operational; deleted 0; cutoff ")
                .endsWith("; failed: BadSqlGrammarException, SQL state 42P01");
    }

    /** The {@code retention.sweep} entries (sequenced or pending) of the purge named {@code name}. */
    private List<JsonNode> sweeps(String name) {
        return AuditEvents.where(jdbc, event -> AuditEvents.text(event, "type").equals("retention.sweep")
                && AuditEvents.text(event, "action").equals(name));
    }

    @Test
    void aRunThatDeletedRowsIsOneAuditEntryAndAnEmptyRunNone() {
        rows(1, 7, 120);
        Purge audited = new Purge("test.audited", TABLE, "expires_at < :cutoff", Duration.ofHours(1), 3, 10, Duration.ofMinutes(5))
                .in(RetentionCategory.SESSIONS);
        BoundedPurges node = node(audited);

        assertThat(node.run("test.audited")).isEqualTo(new PurgeRun("test.audited", 7, 3, true));
        assertThat(node.run("test.audited").deleted()).isZero();

        List<JsonNode> entries = sweeps("test.audited");
        assertThat(entries).as("one entry for the run of three statements, none for the empty run").hasSize(1);
        assertThat(AuditEvents.text(entries.getFirst(), "outcome")).isEqualTo("success");
        assertThat(AuditEvents.text(entries.getFirst(), "detail")).matches("category sessions; deleted 7; cutoff \\d{4}-.*Z");
    }

    @Test
    void anAfterDeleteActionGetsTheDeletedRowsInTheStatementsTransactionAndItsFailureKeepsThem() {
        rows(1, 5, 120);
        rows(6, 6, -10);
        List<Object> erased = new ArrayList<>();
        Purge then = purge(10, 1).then(new Purge.AfterDelete(List.of("id"), deleted -> deleted.forEach(row -> erased.add(row.get("id")))));

        assertThat(node(then).run("test.rows").deleted()).isEqualTo(5);
        assertThat(erased).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(remaining()).containsExactly(6);

        rows(7, 8, 120);
        Purge failing = new Purge("test.then-fails", TABLE, "expires_at < :cutoff", Duration.ofHours(1), 10, 1, Duration.ofMinutes(5))
                .then(new Purge.AfterDelete(List.of("id"), deleted -> {
                    throw new IllegalStateException("the storage is away");
                }));
        assertThatThrownBy(() -> node(failing).run("test.then-fails")).isInstanceOf(IllegalStateException.class);
        assertThat(remaining()).as("rolled back with the action: the next run tries again").containsExactly(6, 7, 8);
        assertThat(sweeps("test.then-fails")).extracting(entry -> AuditEvents.text(entry, "detail"))
                .singleElement().asString().contains("deleted 0;").endsWith("failed: IllegalStateException");
    }

    @Test
    void anUnknownNameAndTwoPurgesOfOneNameAreRefused() {
        assertThatThrownBy(() -> node(purge(1, 1)).run("test.other")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test.other");
        assertThatThrownBy(() -> node(purge(1, 1), purge(2, 2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test.rows");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
