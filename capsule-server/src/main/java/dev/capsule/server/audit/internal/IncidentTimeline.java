package dev.capsule.server.audit.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.AuditTimeline;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link AuditTimeline}: one query over an index range of {@code audit_entries} (primary key range, at most
 * {@link AuditTimeline#SCAN_ENTRIES_MAX} rows), filtered in PostgreSQL on the parsed entry, like the console's
 * {@link AuditBrowser}. Filters are query parameters, never SQL text.
 */
@Component
class IncidentTimeline implements AuditTimeline {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final LogStore store;

    IncidentTimeline(JdbcClient jdbc, LogStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    @Override
    public long size() {
        return store.size();
    }

    @Override
    public TimelinePage timeline(UUID incident, long fromIndex, TimeWindow window, Set<AuditEventType> types, int limit) {
        if (fromIndex < 0) {
            throw new IllegalArgumentException("a cursor is an entry index");
        }
        if (limit < 1 || limit > PAGE_ENTRIES_MAX) {
            throw new IllegalArgumentException("a timeline page holds 1 to " + PAGE_ENTRIES_MAX + " entries");
        }
        long size = store.size();
        long to = Math.min(size, fromIndex + SCAN_ENTRIES_MAX);
        if (fromIndex >= to) {
            return new TimelinePage(List.of(), OptionalLong.empty(), fromIndex);
        }
        List<String> codes = new ArrayList<>();
        for (AuditEventType type : types) {
            codes.add(type.code());
            codes.addAll(type.formerCodes());
        }
        if (codes.isEmpty()) {
            codes.add("-"); // no type matches: only the incident's own entries
        }
        String since = AuditBrowser.ENTRY_TIME.format(window.from().atOffset(ZoneOffset.UTC));
        String until = window.to().map(end -> AuditBrowser.ENTRY_TIME.format(end.atOffset(ZoneOffset.UTC))).orElse("9999"); // after every entry's time
        List<TimelineEntry> entries = jdbc.sql("SELECT s.idx, s.entry FROM (SELECT idx, entry, convert_from(entry, 'UTF8')::jsonb AS e"
                        + " FROM audit_entries WHERE idx >= :from AND idx < :to) s"
                        + " WHERE s.e->>'incident' = :incident OR (s.e->>'type' IN (:types) AND s.e->>'time' >= :since"
                        + " AND s.e->>'time' <= :until)"
                        + " ORDER BY s.idx LIMIT :limit")
                .param("from", fromIndex).param("to", to).param("incident", incident.toString()).param("types", codes)
                .param("since", since).param("until", until).param("limit", limit)
                .query((rs, n) -> entry(rs.getLong(1), rs.getBytes(2), incident.toString()))
                .list();
        long scannedTo = entries.size() == limit ? entries.getLast().index() + 1 : to;
        return new TimelinePage(entries, scannedTo < size ? OptionalLong.of(scannedTo) : OptionalLong.empty(), scannedTo);
    }

    private static TimelineEntry entry(long index, byte[] bytes, String incident) {
        JsonNode entry = JSON.readTree(bytes);
        return new TimelineEntry(index, text(entry, "time"), text(entry, "type"), text(entry, "outcome"), text(entry, "actor"),
                text(entry, "apiKey"), text(entry, "app"), text(entry, "reason"), text(entry, "detail"),
                incident.equals(text(entry, "incident")));
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value == null || !value.isString() ? "" : SafeText.escape(value.asString());
    }
}
