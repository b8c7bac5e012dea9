package dev.capsule.testing.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the audit log as tests need it: every event, the sequenced entries (by index) and then those
 * still pending (in queue order), as JSON objects with the entry fields ("type", "outcome", "actor",
 * "subject", "reason", "apiKey", "address", "sealed", ...). Pending events have no "index" or "time" yet.
 */
public final class AuditEvents {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditEvents() {
    }

    public static List<JsonNode> all(JdbcClient jdbc) {
        List<JsonNode> events = new ArrayList<>();
        jdbc.sql("""
                SELECT j FROM (SELECT convert_from(entry, 'UTF8') AS j, 0 AS part, idx AS pos FROM audit_entries
                               UNION ALL SELECT fields, 1, id FROM audit_pending) e
                ORDER BY part, pos""")
                .query(String.class).list().forEach(text -> events.add(JSON.readTree(text)));
        return events;
    }

    public static List<JsonNode> where(JdbcClient jdbc, Predicate<JsonNode> filter) {
        return all(jdbc).stream().filter(filter).toList();
    }

    /** The field's text, or "null" if the event has no such field. */
    public static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? "null" : value.asString();
    }

    /** The named fields' texts joined by {@code separator} ("null" for absent fields). */
    public static String line(JsonNode event, String separator, String... fields) {
        List<String> parts = new ArrayList<>();
        for (String field : fields) {
            parts.add(text(event, field));
        }
        return String.join(separator, parts);
    }
}
