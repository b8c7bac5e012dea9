package dev.capsule.server.advisories.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.osv.Advisory;
import dev.capsule.core.osv.AffectedPackage;
import dev.capsule.core.osv.OsvExport;
import dev.capsule.core.osv.OsvParser;
import dev.capsule.core.osv.OsvWriter;
import dev.capsule.core.text.SafeText;
import dev.capsule.server.advisories.AdvisoryImport;
import dev.capsule.server.advisories.AdvisoryImports;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports an OSV export into V70's tables in batches: each batch is one transaction that upserts the advisories whose
 * {@code modified} is newer than the stored copy (or that are new) and rewrites their (ecosystem, name) index rows.
 * Batches take a transaction-scoped advisory lock, so two imports at once interleave batch by batch and still never
 * replace a newer copy with an older one. Progress counts land in {@code osv_imports}.
 */
@Component
class OsvImporter implements AdvisoryImports {
    /** Advisories per transaction. */
    static final int BATCH_ENTRIES_MAX = 1_000;
    /** JSON bytes per transaction: a batch of large advisories commits earlier. */
    static final long BATCH_BYTES_MAX = 16L << 20;
    /** Refusal reasons printed (all are counted). */
    static final int REASONS_SHOWN_MAX = 20;
    /** pg_advisory_xact_lock key of the import ("osv" in ASCII). */
    private static final long LOCK_KEY = 0x6F7376L;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;

    OsvImporter(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
    }

    /** Counts kept while the file streams by. */
    private static final class Counts {
        long entries;
        long inserted;
        long updated;
        long unchanged;
        long refused;
        long withdrawn;
        final List<String> reasons = new ArrayList<>();
    }

    @Override
    public AdvisoryImport importFile(Path file) throws IOException, OsvExport.ExportException {
        // escape() may run a few characters past its cut; the column holds 255.
        String fileName = SafeText.escape(String.valueOf(file.getFileName()), 240);
        byte[] fileDigest = sha256(file);
        long importId = jdbc.sql("INSERT INTO osv_imports (file_name, outcome) VALUES (?, 'running') RETURNING id")
                .param(fileName).query(Long.class).single();
        Counts counts = new Counts();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            Map<String, OsvExport.Entry.Parsed> batch = new LinkedHashMap<>();
            long[] batchBytes = {0};
            OsvExport.read(in, entry -> {
                counts.entries++;
                switch (entry) {
                    case OsvExport.Entry.Refused refused -> {
                        counts.refused++;
                        if (counts.reasons.size() < REASONS_SHOWN_MAX) {
                            counts.reasons.add(refused.name() + ": " + refused.reason());
                        }
                    }
                    case OsvExport.Entry.Parsed parsed when OsvWriter.write(parsed.advisory()).length > OsvParser.ADVISORY_BYTES_MAX -> {
                        // Escaping can grow a pathological advisory; its matching form must parse again.
                        counts.refused++;
                        if (counts.reasons.size() < REASONS_SHOWN_MAX) {
                            counts.reasons.add(parsed.name() + ": larger than " + OsvParser.ADVISORY_BYTES_MAX + " bytes once re-serialized");
                        }
                    }
                    case OsvExport.Entry.Parsed parsed -> {
                        // The same id twice in one file: the newer copy wins, as against the store.
                        OsvExport.Entry.Parsed earlier = batch.get(parsed.advisory().id());
                        if (earlier != null) {
                            counts.unchanged++; // one of the two copies is not stored
                        }
                        if (earlier == null || parsed.advisory().modified().isAfter(earlier.advisory().modified())) {
                            batch.put(parsed.advisory().id(), parsed);
                            batchBytes[0] += parsed.json().length;
                        }
                        if (parsed.advisory().isWithdrawn()) {
                            counts.withdrawn++;
                        }
                    }
                }
                if (batch.size() >= BATCH_ENTRIES_MAX || batchBytes[0] >= BATCH_BYTES_MAX) {
                    write(batch.values(), counts, importId);
                    batch.clear();
                    batchBytes[0] = 0;
                }
            });
            write(batch.values(), counts, importId);
        } catch (IOException | OsvExport.ExportException | RuntimeException e) {
            String failure = e instanceof RuntimeException ? "database error while importing" : e.getMessage();
            jdbc.sql("UPDATE osv_imports SET outcome = 'failed', finished_at = clock_timestamp(), failure = ? WHERE id = ?")
                    .param(SafeText.escape(String.valueOf(failure), 1000)).param(importId).update();
            throw e;
        }
        jdbc.sql("""
                UPDATE osv_imports SET outcome = 'completed', finished_at = clock_timestamp(), file_sha256 = ?, entries = ?, inserted = ?,
                    updated = ?, unchanged = ?, refused = ?, withdrawn = ? WHERE id = ?""")
                .param(fileDigest).param(counts.entries).param(counts.inserted).param(counts.updated).param(counts.unchanged)
                .param(counts.refused).param(counts.withdrawn).param(importId).update();
        AdvisoryImport done = recent(importId);
        return new AdvisoryImport(done.id(), done.fileName(), done.startedAt(), done.finishedAt(), done.outcome(), done.entries(),
                done.inserted(), done.updated(), done.unchanged(), done.refused(), done.withdrawn(), done.failure(), counts.reasons);
    }

    private void write(Collection<OsvExport.Entry.Parsed> batch, Counts counts, long importId) {
        if (batch.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            template.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, LOCK_KEY);
            String[] ids = batch.stream().map(p -> p.advisory().id()).toArray(String[]::new);
            Map<String, Timestamp> stored = new HashMap<>();
            template.query("SELECT id, modified FROM osv_advisories WHERE id = ANY(?)",
                    statement -> statement.setArray(1, statement.getConnection().createArrayOf("text", ids)),
                    row -> {
                        stored.put(row.getString(1), row.getTimestamp(2));
                    });
            List<Advisory> changed = new ArrayList<>();
            List<byte[]> documents = new ArrayList<>();
            for (OsvExport.Entry.Parsed parsed : batch) {
                Advisory advisory = parsed.advisory();
                Timestamp old = stored.get(advisory.id());
                if (old != null && !advisory.modified().isAfter(old.toInstant())) {
                    counts.unchanged++;
                    continue;
                }
                if (old == null) {
                    counts.inserted++;
                } else {
                    counts.updated++;
                }
                changed.add(advisory);
                documents.add(parsed.json());
            }
            if (changed.isEmpty()) {
                return;
            }
            template.batchUpdate("""
                    INSERT INTO osv_advisories (id, modified, withdrawn, document, matching) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET modified = EXCLUDED.modified, withdrawn = EXCLUDED.withdrawn,
                        document = EXCLUDED.document, matching = EXCLUDED.matching, imported_at = clock_timestamp()
                    WHERE osv_advisories.modified < EXCLUDED.modified""", rows(changed, documents));
            String[] changedIds = changed.stream().map(Advisory::id).toArray(String[]::new);
            template.update("DELETE FROM osv_affected WHERE advisory_id = ANY(?)",
                    statement -> statement.setArray(1, statement.getConnection().createArrayOf("text", changedIds)));
            List<Object[]> affected = new ArrayList<>();
            for (Advisory advisory : changed) {
                Set<List<String>> packages = new LinkedHashSet<>();
                for (AffectedPackage entry : advisory.affected()) {
                    packages.add(List.of(entry.pkg().ecosystem(), entry.pkg().name()));
                }
                for (List<String> p : packages) {
                    affected.add(new Object[] {p.get(0), p.get(1), advisory.id()});
                }
            }
            template.batchUpdate("INSERT INTO osv_affected (ecosystem, name, advisory_id) VALUES (?, ?, ?)", affected);
            template.update("UPDATE osv_imports SET entries = ?, inserted = ?, updated = ?, unchanged = ?, refused = ?, withdrawn = ? WHERE id = ?",
                    counts.entries, counts.inserted, counts.updated, counts.unchanged, counts.refused, counts.withdrawn, importId);
        });
    }

    private static List<Object[]> rows(List<Advisory> changed, List<byte[]> documents) {
        List<Object[]> rows = new ArrayList<>(changed.size());
        for (int i = 0; i < changed.size(); i++) {
            Advisory a = changed.get(i);
            rows.add(new Object[] {a.id(), Timestamp.from(a.modified()), a.withdrawn() == null ? null : Timestamp.from(a.withdrawn()),
                documents.get(i), OsvWriter.write(a)});
        }
        return rows;
    }

    @Override
    public List<AdvisoryImport> recent(int limit) {
        if (limit < 1 || limit > RECENT_MAX) {
            throw new IllegalArgumentException("limit must be 1 to " + RECENT_MAX);
        }
        return select("ORDER BY id DESC LIMIT ?", limit);
    }

    private AdvisoryImport recent(long id) {
        return select("WHERE id = ?", id).getFirst();
    }

    private List<AdvisoryImport> select(String tail, Object param) {
        return jdbc.sql("SELECT id, file_name, started_at, finished_at, outcome, entries, inserted, updated, unchanged, refused, withdrawn, failure"
                        + " FROM osv_imports " + tail)
                .param(param)
                .query((row, n) -> new AdvisoryImport(row.getLong(1), row.getString(2), row.getTimestamp(3).toInstant(),
                        row.getTimestamp(4) == null ? null : row.getTimestamp(4).toInstant(), row.getString(5), row.getLong(6), row.getLong(7),
                        row.getLong(8), row.getLong(9), row.getLong(10), row.getLong(11), row.getString(12), List.of()))
                .list();
    }

    /** The whole file's SHA-256 (a second read: the zip reader stops at the central directory). */
    private static byte[] sha256(Path file) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return digest.digest();
    }
}
