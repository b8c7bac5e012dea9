package dev.capsule.server.audit.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.platform.internal.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The server's audit log on a real embedded PostgreSQL, through the real store and sequencer classes
 * (this class sits in their package so it can build them without starting the whole server):
 *
 * <ul>
 *   <li>{@code recordAndSequence}: {@link #BATCH} events recorded through the identity events' listener in one
 *       transaction, then sequenced (entries, leaf and subtree hashes stored); score = entries/s.</li>
 *   <li>{@code sequenceOnly}: the sequencer alone on {@link #BATCH} queued events; score = entries/s.</li>
 *   <li>{@code inclusionProof} / {@code consistencyProof}: a proof at a random index / size in a tree of
 *       {@code leaves} entries (default 10^7, populated in bulk with SQL at setup, which takes minutes);
 *       score = time per proof, including the size query and the one query for the stored hashes.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar capsule-bench/target/benchmarks.jar AuditLogBenchmark} (add
 * {@code -p leaves=1000000} for a quicker proof run).
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class AuditLogBenchmark {
    static final int BATCH = 2_000;

    /** One embedded PostgreSQL for the run, one database per state. */
    static final class Database implements AutoCloseable {
        private static EmbeddedPostgresServer server;
        final HikariDataSource dataSource;
        final JdbcClient jdbc;
        final LogStore store;
        final Sequencer sequencer;
        final TransactionTemplate transactions;

        Database(String name) {
            synchronized (Database.class) {
                if (server == null) {
                    Path directory;
                    try {
                        directory = Files.createTempDirectory("capsule-bench-postgres");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    server = EmbeddedPostgresServer.start(directory.resolve("postgres"));
                    // The proof tree takes about 5 GB: stop the server and delete its files when the fork ends.
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        server.close();
                        deleteRecursively(directory);
                    }));
                }
                server.createDatabase(name);
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.jdbcUrl(name));
            config.setUsername(server.user());
            config.setPassword(server.password());
            config.setMaximumPoolSize(4);
            dataSource = new HikariDataSource(config);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            jdbc = JdbcClient.create(dataSource);
            transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            store = new LogStore(jdbc, new JdbcTemplate(dataSource));
            // No personal details are recorded here, so the keys module is not needed.
            sequencer = new Sequencer(jdbc, transactions, store, new SecurityEventEntries(new PersonalDetails(null, null)),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Sequencer.PENDING_ENTRIES_MAX);
        }

        private static void deleteRecursively(Path directory) {
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("[capsule-bench] could not delete " + directory + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            sequencer.close();
            dataSource.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Append {
        Database database;
        SecurityEventEntries.Listener trail;
        int round;

        @Setup(Level.Trial)
        public void setUp() {
            database = new Database("audit_append_" + System.nanoTime());
            trail = new SecurityEventEntries.Listener(new SecurityEventEntries(null), new PendingQueue(database.jdbc, database.sequencer));
        }

        /** Queues a batch with one statement, for {@code sequenceOnly}. */
        void queueBatch() {
            database.jdbc.sql("""
                    INSERT INTO audit_pending (event_id, fields)
                    SELECT gen_random_uuid(), '{"outcome":"success","reason":"r' || i || '","type":"bench.append"}'
                    FROM generate_series(1, ?) i""").param(BATCH).update();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.printf("%n[capsule-bench] audit log size after the run: %,d entries%n", database.store.size());
            database.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Queued {
        @Setup(Level.Invocation)
        public void queue(Append append) {
            append.queueBatch();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long recordAndSequence(Append append) {
        int round = append.round++;
        append.database.transactions.executeWithoutResult(status -> {
            for (int i = 0; i < BATCH; i++) {
                append.trail.on(new SecurityEvent(AuditEventType.OPERATOR_ENABLE, SecurityEvent.Outcome.SUCCESS, null, null, "r" + round, null));
            }
        });
        return append.database.sequencer.run(true);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long sequenceOnly(Append append, Queued queued) {
        return append.database.sequencer.run(true);
    }

    @State(Scope.Benchmark)
    public static class BigTree {
        @Param("10000000")
        public long leaves;
        Database database;
        AuditLogReader reader;

        @Setup(Level.Trial)
        public void setUp() {
            database = new Database("audit_proofs_" + leaves);
            long started = System.nanoTime();
            populate(database.jdbc, leaves);
            reader = new AuditLogReader(database.store);
            System.out.printf("%n[capsule-bench] populated a %,d-leaf tree in %d s%n", leaves, (System.nanoTime() - started) / 1_000_000_000L);
            // Sanity: a proof from the stored hashes verifies against the root from the stored hashes.
            byte[] root = MerkleProofs.root(leaves, database.store.nodes(MerkleProofs.rootNodes(leaves)));
            AuditLogReader.Inclusion proof = reader.inclusion(leaves / 3, leaves);
            if (!MerkleProofs.verifyInclusion(proof.index(), leaves, proof.leafHash(), proof.proof(), root)) {
                throw new IllegalStateException("the populated tree gives a proof that does not verify");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            database.close();
        }
    }

    /**
     * Fills the log with {@code leaves} small entries and every perfect subtree hash, level by level,
     * in SQL (PostgreSQL's sha256 with the RFC 9162 prefixes) — the same rows the sequencer would store.
     */
    static void populate(JdbcClient jdbc, long leaves) {
        jdbc.sql("""
                INSERT INTO audit_entries (idx, entry)
                SELECT i, convert_to('{"index":' || i || ',"type":"bench.proof"}', 'UTF8') FROM generate_series(0, ? - 1) i""")
                .param(leaves).update();
        jdbc.sql("INSERT INTO audit_nodes (level, idx, hash) SELECT 0, idx, sha256('\\x00'::bytea || entry) FROM audit_entries").update();
        for (int level = 1; (leaves >>> level) > 0; level++) {
            // Fresh statistics for each level, so the planner joins the millions of siblings by hashing, not by probing.
            jdbc.sql("ANALYZE audit_nodes").update();
            jdbc.sql("""
                    INSERT INTO audit_nodes (level, idx, hash)
                    SELECT ?, l.idx / 2, sha256('\\x01'::bytea || l.hash || r.hash)
                    FROM audit_nodes l JOIN audit_nodes r ON r.level = l.level AND r.idx = l.idx + 1
                    WHERE l.level = ? AND l.idx % 2 = 0""").params(level, level - 1).update();
        }
        jdbc.sql("ANALYZE audit_nodes").update();
        jdbc.sql("ANALYZE audit_entries").update();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<byte[]> inclusionProof(BigTree tree) {
        long index = ThreadLocalRandom.current().nextLong(tree.leaves);
        return tree.reader.inclusion(index, tree.leaves).proof();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<byte[]> consistencyProof(BigTree tree) {
        long from = 1 + ThreadLocalRandom.current().nextLong(tree.leaves - 1);
        return tree.reader.consistency(from, tree.leaves);
    }
}
