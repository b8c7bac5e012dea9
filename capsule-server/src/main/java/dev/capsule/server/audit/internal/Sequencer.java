package dev.capsule.server.audit.internal;

import dev.capsule.core.json.CanonicalJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moves pending events into the log. At most one sequencer runs at a time across all nodes: each batch
 * is one transaction that first takes a PostgreSQL advisory transaction lock, then takes up to
 * {@link #BATCH_ENTRIES_MAX} pending rows (oldest first), gives them the next consecutive indexes, builds
 * each entry's canonical JSON, and stores the entries, their leaf hashes and every perfect subtree hash
 * the batch completes (through the shared {@link dev.capsule.server.tlog.MerkleLogStore}), and which of them name an
 * end user ({@code audit_user_entries}, the privacy export's index by user pseudonym). The lock is released by the
 * commit, so the next batch (on any node) starts from the committed tree. A failed batch rolls back as a whole: the
 * pending rows stay, nothing is half-stored.
 *
 * <p>It runs every {@link #INTERVAL_MILLIS} on every node (a node that finds the lock taken skips that
 * run), when {@link #PENDING_NUDGE_ENTRIES} events were recorded on this node since its last run, and
 * before a checkpoint is published.
 *
 * <p>Security guarantees: indexes have no gaps or duplicates (one lock holder; the primary key refuses a
 * duplicate); a pending event leaves the queue only in the transaction that appends it, and an entry's row in the
 * index by user commits with it; a stored subtree hash is computed from the entries in the same transaction and never
 * rewritten (V40's triggers).
 */
@Component
@EnableScheduling
class Sequencer implements AutoCloseable {
    /** Pending rows per transaction: bounds a transaction's time and memory. */
    static final int BATCH_ENTRIES_MAX = 2_000;
    /** Batches per run, so one run ends even while events keep arriving. */
    static final int RUN_BATCHES_MAX = 50;
    static final long INTERVAL_MILLIS = 250;
    /** Events recorded on this node that start a run at once instead of at the next interval. */
    static final int PENDING_NUDGE_ENTRIES = 500;
    /**
     * Default of {@code capsule.audit.pending-entries-max}: queued events beyond which recording is refused.
     * Only a stuck sequencer lets the queue grow this long (a healthy log drains it in about a minute), and
     * an action that cannot be audited must fail rather than pile up unaudited work without bound.
     */
    static final long PENDING_ENTRIES_MAX = 1_000_000;
    /** Longest wait for another node's batch or checkpoint before a waiting caller (a publish request) gives up. */
    static final int LOCK_WAIT_SECONDS_MAX = 10;
    /** The advisory lock every node's sequencer takes ("capsaud1"); checkpoint publishing takes it too. */
    static final long LOCK_KEY = 0x6361707361756431L;

    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
    /** A keyed pseudonym ({@code keys.Pseudonyms}), the only form an entry's {@code user} takes. */
    private static final Pattern USER_TAG = Pattern.compile("[0-9a-f]{32}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final LogStore store;
    private final SecurityEventEntries securityEvents;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutorService nudges = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("audit-sequencer").factory());
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final AtomicInteger recordedSinceRun = new AtomicInteger();
    private final AtomicLong backlog = new AtomicLong();
    private final Counter appendedCount;
    private final long pendingEntriesMax;

    Sequencer(JdbcClient jdbc, TransactionTemplate transactions, LogStore store, SecurityEventEntries securityEvents,
            MeterRegistry meters, @Value("${capsule.audit.pending-entries-max:" + PENDING_ENTRIES_MAX + "}") long pendingEntriesMax) {
        if (pendingEntriesMax < 1) {
            throw new IllegalArgumentException("capsule.audit.pending-entries-max must be at least 1");
        }
        this.pendingEntriesMax = pendingEntriesMax;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.store = store;
        this.securityEvents = securityEvents;
        this.appendedCount = Counter.builder("capsule.audit.appended").description("Audit entries this node appended to the log")
                .baseUnit("entries").register(meters);
        Gauge.builder("capsule.audit.pending", backlog, AtomicLong::get)
                .description("Events queued for the audit log at this node's last sequencer run (an upper bound)")
                .baseUnit("entries").register(meters);
    }

    /**
     * Whether a denial may still be queued one by one: while the queue is at most half full. Denials are
     * the one kind of event a caller can cause at will (by asking for what it may not have), so they never
     * take the second half, which stays for actions; beyond it {@link DenialAudit} counts them instead.
     */
    boolean roomForDenials() {
        return backlog.get() < pendingEntriesMax / 2;
    }

    /** Refuses a new event while the queue is full (as measured at the last run, plus what this node added since). */
    void requireRoom() {
        if (backlog.get() >= pendingEntriesMax) {
            throw new IllegalStateException("the audit log's queue holds " + pendingEntriesMax
                    + " events (its sequencer is not keeping up); the action is refused rather than left unaudited");
        }
    }

    /**
     * Counts an event recorded on this node (the backlog this node sees grows with it until the next
     * measurement); past the threshold, starts a run on the sequencer's thread.
     */
    void recorded() {
        backlog.incrementAndGet(); // an upper bound until the next measurement, so the limits hold between runs
        if (recordedSinceRun.incrementAndGet() >= PENDING_NUDGE_ENTRIES && nudged.compareAndSet(false, true)) {
            try {
                nudges.execute(() -> {
                    nudged.set(false);
                    scheduledRun();
                });
            } catch (RejectedExecutionException e) {
                nudged.set(false); // shutting down: the event is queued, and any node's next run sequences it
            }
        }
    }

    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void scheduledRun() {
        try {
            run(false);
        } catch (RuntimeException e) {
            log.warn("audit sequencing failed; pending events stay queued and the next run retries", e);
        }
    }

    /** Measures the queue: max - min of its ids, an index-only upper bound of its length, cheap even when it is long. */
    long measureBacklog() {
        long measured = jdbc.sql("SELECT coalesce(max(id) - min(id) + 1, 0) FROM audit_pending").query(Long.class).single();
        backlog.set(measured);
        return measured;
    }

    /**
     * Sequences pending events, batch after batch, until the queue is empty or {@link #RUN_BATCHES_MAX}
     * batches ran, then measures the queue. With {@code wait}, waits for another node's batch to finish instead of
     * leaving the work to it.
     *
     * @return the number of entries this call appended
     */
    long run(boolean wait) {
        recordedSinceRun.set(0);
        long appended = 0;
        for (int batch = 0; batch < RUN_BATCHES_MAX; batch++) {
            Integer count = transactions.execute(status -> batch(wait));
            if (count == null || count < 0) {
                break; // another node holds the lock: it is sequencing
            }
            appended += count;
            appendedCount.increment(count);
            if (count < BATCH_ENTRIES_MAX) {
                break;
            }
        }
        measureBacklog(); // the count recorded() keeps between runs is an upper bound; this resets it
        return appended;
    }

    /**
     * Takes the lock in the current transaction (released by its commit or rollback). With {@code wait},
     * waits at most {@link #LOCK_WAIT_SECONDS_MAX} (then throws); without, returns false if another node holds it.
     */
    boolean lock(boolean wait) {
        if (wait) {
            jdbc.sql("SET LOCAL lock_timeout = '" + LOCK_WAIT_SECONDS_MAX + "s'").update();
            jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK_KEY).query(Object.class).single();
            return true;
        }
        return jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(LOCK_KEY).query(Boolean.class).single();
    }

    private record Pending(long id, OffsetDateTime recordedAt, UUID eventId, String fields, boolean legacy) {
    }

    private int batch(boolean wait) {
        if (!lock(wait)) {
            return -1;
        }
        List<Pending> rows = new ArrayList<>(jdbc.sql("""
                DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending ORDER BY id LIMIT ?)
                RETURNING id, recorded_at, event_id, fields, legacy""")
                .param(BATCH_ENTRIES_MAX)
                .query((row, i) -> new Pending(row.getLong(1), row.getObject(2, OffsetDateTime.class),
                        row.getObject(3, UUID.class), row.getString(4), row.getBoolean(5)))
                .list());
        if (rows.isEmpty()) {
            return 0;
        }
        rows.sort(Comparator.comparingLong(Pending::id));
        long size = store.size();
        List<byte[]> entries = new ArrayList<>(rows.size());
        List<String> userTags = new ArrayList<>();
        List<Long> userIndexes = new ArrayList<>();
        List<PersonalDetails.DetailKey> detailKeys = new ArrayList<>();
        for (Pending row : rows) {
            long index = size + entries.size();
            Map<String, Object> fields = entryFields(row, index, detailKeys);
            if (fields.get("user") instanceof String tag && USER_TAG.matcher(tag).matches()) {
                userTags.add(tag);
                userIndexes.add(index);
            }
            entries.add(CanonicalJson.bytes(fields));
        }
        store.tree().append(size, entries);
        indexUsers(userTags, userIndexes);
        recordDetailKeys(detailKeys);
        return rows.size();
    }

    /**
     * Records the month keys the legacy rows' details were just sealed under ({@code audit_detail_keys}, V117), in the
     * same transaction and one statement, so the purge {@code audit.detail-keys} finds them.
     */
    private void recordDetailKeys(List<PersonalDetails.DetailKey> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO audit_detail_keys (detail_key, operator_id, month)
                SELECT * FROM unnest(:keys::uuid[], :persons::uuid[], :months::date[]) ON CONFLICT DO NOTHING""")
                .param("keys", keys.stream().map(key -> key.key().toString()).toArray(String[]::new))
                .param("persons", keys.stream().map(key -> key.person().toString()).toArray(String[]::new))
                .param("months", keys.stream().map(key -> key.firstDay().toString()).toArray(String[]::new))
                .update();
    }

    /**
     * Records which of the entries just appended name an end user (V105's {@code audit_user_entries}), in the same
     * transaction, so the privacy export finds a person's entries without reading the whole log.
     */
    private void indexUsers(List<String> tags, List<Long> indexes) {
        if (tags.isEmpty()) {
            return;
        }
        jdbc.sql("INSERT INTO audit_user_entries (user_tag, idx) SELECT * FROM unnest(:tags::text[], :indexes::bigint[])")
                .param("tags", tags.toArray(new String[0]))
                .param("indexes", indexes.stream().mapToLong(Long::longValue).toArray())
                .update();
    }

    private Map<String, Object> entryFields(Pending row, long index, List<PersonalDetails.DetailKey> detailKeys) {
        Map<String, Object> fields = legacyConverted(row, detailKeys);
        fields.put("index", index);
        fields.put("time", TIME.format(row.recordedAt().withOffsetSameInstant(ZoneOffset.UTC)));
        return fields;
    }

    private Map<String, Object> legacyConverted(Pending row, List<PersonalDetails.DetailKey> detailKeys) {
        Map<String, Object> fields = CanonicalJson.toMap(json.readTree(row.fields()));
        if (!row.legacy()) {
            return fields;
        }
        // A security_events row from before the log: seal its client address now, as recording would have, under the
        // key of the entry's own month.
        EntryFields converted = securityEvents.legacy(row.eventId(), fields,
                YearMonth.from(row.recordedAt().withOffsetSameInstant(ZoneOffset.UTC)));
        converted.detailKey().ifPresent(detailKeys::add);
        return new TreeMap<>(converted.asMap());
    }

    @Override
    public void close() {
        nudges.shutdownNow();
    }
}
