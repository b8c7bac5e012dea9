package dev.capsule.server.audit.internal;

import dev.capsule.runtime.ViolationKind;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The dashboard's numbers, counted from the audit log itself (no second bookkeeping that could disagree with it):
 * sessions opened, mini-program violations by kind, and denials over time, in buckets of a chosen {@link Range}.
 *
 * <ul>
 *   <li>Sessions opened: entries of the host module's session-opening type ({@link #SESSION_OPEN}).
 *   <li>Violations: {@code runtime.call} entries whose action is {@code violation}; the kind is the runtime's
 *       {@link ViolationKind} wire name in the outcome (any other outcome is counted as {@code other}, so no text a
 *       stored entry holds becomes a label).
 *   <li>Denials: {@code access.deny} (one each) plus the counts of {@code access.deny-summary} entries (the denials a
 *       flood made the log count instead of record one by one), and mini-program API calls the runtime denied
 *       ({@code runtime.call} with outcome {@code denied}).
 * </ul>
 *
 * <p>Limits: one request scans at most the newest {@value #SCAN_ENTRIES_MAX} entries; when the range reaches
 * further back than those, the dashboard says from when its counts are complete ({@link Dashboard#completeSince}).
 */
@Component
class AuditStatistics {
    /** Entries one dashboard request scans at most (the newest). */
    static final int SCAN_ENTRIES_MAX = 200_000;
    /** Grouped rows one query returns at most (buckets x types x kinds stays far below it). */
    static final int GROUPS_MAX = 10_000;
    /** Violation kinds are labelled with these names only; anything else is {@code other}. */
    static final List<String> VIOLATION_KINDS = Arrays.stream(ViolationKind.values()).map(ViolationKind::wireName).toList();
    static final String OTHER_KIND = "other";

    /** The host module's "a hosted session started" entry type (an Optional so the page can say when a log has none). */
    static final Optional<AuditEventType> SESSION_OPEN = Optional.of(AuditEventType.SESSION_OPEN);

    private final JdbcClient jdbc;
    private final LogStore store;
    private final int scanEntriesMax;

    @Autowired
    AuditStatistics(JdbcClient jdbc, LogStore store) {
        this(jdbc, store, SCAN_ENTRIES_MAX);
    }

    /** With another scan limit (tests: a range that reaches beyond the scanned entries). */
    AuditStatistics(JdbcClient jdbc, LogStore store, int scanEntriesMax) {
        this.jdbc = jdbc;
        this.store = store;
        this.scanEntriesMax = scanEntriesMax;
    }

    /** How far back the dashboard looks and in which buckets. */
    enum Range {
        DAY("24h", "the last 24 hours, by hour", 24, 3_600),
        WEEK("7d", "the last 7 days, by 6 hours", 28, 21_600),
        MONTH("30d", "the last 30 days, by day", 30, 86_400);

        private final String code;
        private final String description;
        private final int buckets;
        private final long bucketSeconds;

        Range(String code, String description, int buckets, long bucketSeconds) {
            this.code = code;
            this.description = description;
            this.buckets = buckets;
            this.bucketSeconds = bucketSeconds;
        }

        public String code() {
            return code;
        }

        public String description() {
            return description;
        }

        static Range fromCode(String code) {
            return Stream.of(values()).filter(range -> range.code.equals(code)).findFirst()
                    .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION, "'range' must be one of 24h, 7d, 30d"));
        }
    }

    /** One bucket: its start (UTC) and counts. {@code violations} is in the order of {@link Dashboard#violationKinds}. */
    record Bucket(Instant start, long sessions, List<Long> violations, long accessDenials, long apiDenials) {
        /** Seconds since the epoch, the charts' x value. */
        public long epochSecond() {
            return start.getEpochSecond();
        }

        /** The start as the tables print it. */
        public String label() {
            return start.atOffset(ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' ');
        }
    }

    /**
     * The dashboard of one range.
     *
     * @param sessionsCounted whether the server knows a session-opening type at all (else the sessions series is absent)
     * @param violationKinds  the kinds with at least one violation in the range, in {@link ViolationKind} order
     * @param violationTotals the totals of those kinds
     * @param completeSince   when the counts are complete from, if the scan did not reach back to the range's start
     */
    record Dashboard(Range range, Instant from, Instant to, List<Bucket> buckets, boolean sessionsCounted, List<String> violationKinds,
            List<Long> violationTotals, long sessionsTotal, long accessDenialsTotal, long apiDenialsTotal, Optional<Instant> completeSince) {
    }

    Dashboard dashboard(Range range, Instant now) {
        long bucket = range.bucketSeconds;
        long end = Math.floorDiv(now.getEpochSecond(), bucket) * bucket + bucket;
        long start = end - range.buckets * bucket;
        Instant from = Instant.ofEpochSecond(start);
        long size = store.size();
        long scanFrom = Math.max(0, size - scanEntriesMax);

        List<String> types = new ArrayList<>();
        List<String> runtimeTypes = codes(AuditEventType.RUNTIME_CALL);
        List<String> denyTypes = codes(AuditEventType.ACCESS_DENY);
        List<String> summaryTypes = codes(AuditEventType.ACCESS_DENY_SUMMARY);
        List<String> sessionTypes = SESSION_OPEN.map(AuditStatistics::codes).orElse(List.of());
        Stream.of(runtimeTypes, denyTypes, summaryTypes, sessionTypes).forEach(types::addAll);

        long[] sessions = new long[range.buckets];
        long[] access = new long[range.buckets];
        long[] api = new long[range.buckets];
        Map<String, long[]> violations = new LinkedHashMap<>();
        Stream.concat(VIOLATION_KINDS.stream(), Stream.of(OTHER_KIND)).forEach(kind -> violations.put(kind, new long[range.buckets]));

        jdbc.sql("""
                SELECT floor(extract(epoch FROM (s.e->>'time')::timestamptz) / :bucket)::bigint AS b, s.e->>'type', s.e->>'action',
                       s.e->>'outcome', count(*),
                       coalesce(sum(substring(s.e->>'detail' FROM '^([0-9]{1,15}) denials')::bigint), 0)
                FROM (SELECT convert_from(entry, 'UTF8')::jsonb AS e FROM audit_entries WHERE idx >= :scanFrom) s
                WHERE s.e->>'time' >= :since AND s.e->>'type' IN (:types)
                  AND (s.e->>'type' NOT IN (:runtimeTypes) OR s.e->>'action' = 'violation' OR s.e->>'outcome' = 'denied')
                GROUP BY 1, 2, 3, 4 LIMIT :groups""")
                .param("bucket", bucket).param("scanFrom", scanFrom)
                .param("since", AuditBrowser.ENTRY_TIME.format(from.atOffset(ZoneOffset.UTC)))
                .param("types", types).param("runtimeTypes", runtimeTypes).param("groups", GROUPS_MAX)
                .query((RowCallbackHandler) rs -> {
                    int index = (int) (rs.getLong(1) - start / bucket);
                    if (index < 0 || index >= range.buckets) {
                        return; // an entry stamped after now (clock skew between nodes): outside the chart
                    }
                    String type = rs.getString(2);
                    long count = rs.getLong(5);
                    if (sessionTypes.contains(type)) {
                        sessions[index] += count;
                    } else if (denyTypes.contains(type)) {
                        access[index] += count;
                    } else if (summaryTypes.contains(type)) {
                        access[index] += rs.getLong(6);
                    } else if ("violation".equals(rs.getString(3))) {
                        String kind = VIOLATION_KINDS.contains(rs.getString(4)) ? rs.getString(4) : OTHER_KIND;
                        violations.get(kind)[index] += count;
                    } else {
                        api[index] += count;
                    }
                });

        List<String> kinds = violations.entrySet().stream().filter(e -> Arrays.stream(e.getValue()).sum() > 0).map(Map.Entry::getKey).toList();
        List<Bucket> buckets = new ArrayList<>(range.buckets);
        for (int i = 0; i < range.buckets; i++) {
            int at = i;
            buckets.add(new Bucket(Instant.ofEpochSecond(start + i * bucket), sessions[i], kinds.stream().map(k -> violations.get(k)[at]).toList(),
                    access[i], api[i]));
        }
        Optional<Instant> completeSince = Optional.empty();
        if (scanFrom > 0) {
            Instant oldestScanned = jdbc.sql("SELECT (convert_from(entry, 'UTF8')::jsonb->>'time')::timestamptz FROM audit_entries WHERE idx = :i")
                    .param("i", scanFrom).query(java.sql.Timestamp.class).single().toInstant();
            if (oldestScanned.isAfter(from)) {
                completeSince = Optional.of(oldestScanned);
            }
        }
        return new Dashboard(range, from, Instant.ofEpochSecond(end), buckets, SESSION_OPEN.isPresent(), kinds,
                kinds.stream().map(k -> Arrays.stream(violations.get(k)).sum()).toList(), Arrays.stream(sessions).sum(),
                Arrays.stream(access).sum(), Arrays.stream(api).sum(), completeSince);
    }

    private static List<String> codes(AuditEventType type) {
        List<String> codes = new ArrayList<>(type.formerCodes());
        codes.add(type.code());
        return codes;
    }
}
