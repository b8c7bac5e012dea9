package dev.capsule.server.audit.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's view of the audit log: the newest entries first, filtered by type, actor and time, a page at a
 * time. Entries are read from the log's own append-only table ({@code audit_entries}) and parsed there; nothing is
 * copied or indexed elsewhere, so what the console shows is exactly what the proofs cover.
 *
 * <p>Each request scans at most {@value #SCAN_ENTRIES_MAX} entries below its cursor (by primary key range) and
 * returns at most {@value #PAGE_ENTRIES} matches; when the scanned window held fewer, the page offers to search
 * the next older window. So a filter that matches rarely costs a bounded amount per request, however long the log.
 *
 * <p>Security guarantees: filters are parsed into typed values and passed as query parameters, never spliced into
 * SQL; every text an entry holds (some of it chosen by a mini-program: app, action, detail) is escaped with
 * {@link SafeText} before it reaches a page, and the page prints it through {@code th:text} only.
 */
@Component
class AuditBrowser {
    /** Entries shown on one page. */
    static final int PAGE_ENTRIES = 50;
    /** Entries one request scans at most (below its cursor) to find a page of matches. */
    static final int SCAN_ENTRIES_MAX = 100_000;
    /** Characters of a filter field read at most. */
    static final int FILTER_CHARS_MAX = 64;
    /** The entries' own time format (the sequencer's): fixed width, so text order is time order. */
    static final DateTimeFormatter ENTRY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    private static final Pattern API_KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final LogStore store;

    AuditBrowser(JdbcClient jdbc, LogStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    /** Who acted: an operator (by id) or an API key (by its public id). */
    sealed interface Actor permits OperatorActor, ApiKeyActor {
    }

    record OperatorActor(UUID id) implements Actor {
    }

    record ApiKeyActor(String keyId) implements Actor {
        ApiKeyActor {
            if (!API_KEY_ID.matcher(keyId).matches()) {
                throw new IllegalArgumentException("an API key id is 16 lower-case hex digits");
            }
        }
    }

    /**
     * A checked filter. {@code from} is inclusive, {@code to} exclusive; both are UTC.
     *
     * @param before only entries with a smaller index (the page cursor); empty for the newest
     */
    record Filter(Optional<AuditEventType> type, Optional<Actor> actor, Optional<LocalDateTime> from, Optional<LocalDateTime> to,
            OptionalLong before) {
        Filter {
            if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
                throw new ProblemException(ProblemType.VALIDATION, "the time range is empty: 'from' must be before 'to'");
            }
            if (before.isPresent() && before.getAsLong() < 0) {
                throw new ProblemException(ProblemType.VALIDATION, "'before' must be an entry index (0 or more)");
            }
        }

        static Filter none() {
            return new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty());
        }

        /** The filter from a form's text fields (each may be empty); a malformed field is a validation problem naming it. */
        static Filter parse(String type, String actor, String from, String to, String before) {
            return new Filter(type(type), actor(actor), time(from, "from"), time(to, "to"), index(before));
        }

        private static Optional<AuditEventType> type(String code) {
            if (blank(code)) {
                return Optional.empty();
            }
            return Optional.of(AuditEventType.fromCode(code.strip()).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                    "'type' is not an audit event type (docs/audit-events.md lists them)")));
        }

        private static Optional<Actor> actor(String text) {
            if (blank(text)) {
                return Optional.empty();
            }
            String value = text.strip().toLowerCase(java.util.Locale.ROOT);
            if (API_KEY_ID.matcher(value).matches()) {
                return Optional.of(new ApiKeyActor(value));
            }
            try {
                if (value.length() == 36) {
                    return Optional.of(new OperatorActor(UUID.fromString(value)));
                }
            } catch (IllegalArgumentException e) {
                // falls through to the problem below
            }
            throw new ProblemException(ProblemType.VALIDATION, "'actor' must be an operator id (a UUID) or an API key id (16 hex digits)");
        }

        private static Optional<LocalDateTime> time(String text, String name) {
            if (blank(text)) {
                return Optional.empty();
            }
            try {
                return Optional.of(LocalDateTime.parse(text.strip()));
            } catch (DateTimeParseException e) {
                throw new ProblemException(ProblemType.VALIDATION, "'" + name + "' must be a UTC time such as 2026-12-07T08:30");
            }
        }

        private static OptionalLong index(String text) {
            if (blank(text)) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Long.parseLong(text.strip()));
            } catch (NumberFormatException e) {
                throw new ProblemException(ProblemType.VALIDATION, "'before' must be an entry index");
            }
        }

        private static boolean blank(String text) {
            if (text != null && text.length() > FILTER_CHARS_MAX) {
                throw new ProblemException(ProblemType.VALIDATION, "a filter field has at most " + FILTER_CHARS_MAX + " characters");
            }
            return text == null || text.isBlank();
        }

        boolean any() {
            return type.isPresent() || actor.isPresent() || from.isPresent() || to.isPresent();
        }
    }

    /**
     * One page of matches, newest first.
     *
     * @param scannedFrom the lowest index this request looked at
     * @param next        the cursor of the next (older) page, empty when the log's start was reached
     */
    record Page(List<Row> rows, long logSize, long scannedFrom, long scannedTo, OptionalLong next) {
    }

    /** One entry as the list shows it; every text escaped. Empty strings for absent fields. */
    record Row(long index, String time, String type, String outcome, String actor, String apiKey, String subject, String app,
            String action, String reason, String detail) {
    }

    /** One entry with every field, for its own page. */
    record Shown(Row row, Map<String, String> fields, String json) {
    }

    Page page(Filter filter) {
        long size = store.size();
        long to = Math.min(size, filter.before().orElse(size));
        long from = Math.max(0, to - SCAN_ENTRIES_MAX);
        List<Row> rows = new ArrayList<>();
        if (to > from) {
            StringBuilder where = new StringBuilder();
            Map<String, Object> params = new TreeMap<>();
            params.put("from", from);
            params.put("to", to);
            params.put("limit", PAGE_ENTRIES);
            filter.type().ifPresent(type -> {
                where.append(" AND s.e->>'type' IN (:types)");
                List<String> codes = new ArrayList<>(type.formerCodes());
                codes.add(type.code());
                params.put("types", codes);
            });
            filter.actor().ifPresent(actor -> {
                switch (actor) {
                    case OperatorActor operator -> {
                        where.append(" AND s.e->>'actor' = :actor");
                        params.put("actor", operator.id().toString());
                    }
                    case ApiKeyActor key -> {
                        where.append(" AND s.e->>'apiKey' = :apiKey");
                        params.put("apiKey", key.keyId());
                    }
                }
            });
            filter.from().ifPresent(time -> {
                where.append(" AND s.e->>'time' >= :since");
                params.put("since", ENTRY_TIME.format(time.atOffset(ZoneOffset.UTC)));
            });
            filter.to().ifPresent(time -> {
                where.append(" AND s.e->>'time' < :until");
                params.put("until", ENTRY_TIME.format(time.atOffset(ZoneOffset.UTC)));
            });
            rows = jdbc.sql("SELECT s.idx, s.entry FROM (SELECT idx, entry, convert_from(entry, 'UTF8')::jsonb AS e FROM audit_entries"
                            + " WHERE idx >= :from AND idx < :to) s WHERE true" + where + " ORDER BY s.idx DESC LIMIT :limit")
                    .params(params)
                    .query((rs, n) -> row(rs.getLong(1), rs.getBytes(2)))
                    .list();
        }
        OptionalLong next;
        if (rows.size() == PAGE_ENTRIES) {
            next = OptionalLong.of(rows.getLast().index());
        } else {
            next = from > 0 ? OptionalLong.of(from) : OptionalLong.empty();
        }
        return new Page(rows, size, from, to, next);
    }

    /** Entry {@code index}, or empty when the log does not reach it. */
    Optional<Shown> entry(long index) {
        if (index < 0 || index >= store.size()) {
            return Optional.empty();
        }
        byte[] bytes = store.entries(index, index + 1).getFirst().entry();
        JsonNode entry = JSON.readTree(bytes);
        Map<String, String> fields = new TreeMap<>();
        entry.properties().forEach(field -> fields.put(SafeText.escape(field.getKey()),
                field.getValue().isString() ? SafeText.escape(field.getValue().asString()) : SafeText.jsonText(field.getValue().toString())));
        return Optional.of(new Shown(row(index, bytes), fields, SafeText.jsonText(new String(bytes, StandardCharsets.UTF_8))));
    }

    private static Row row(long index, byte[] bytes) {
        JsonNode entry = JSON.readTree(bytes);
        return new Row(index, text(entry, "time"), text(entry, "type"), text(entry, "outcome"), text(entry, "actor"),
                text(entry, "apiKey"), text(entry, "subject"), text(entry, "app"), text(entry, "action"), text(entry, "reason"),
                text(entry, "detail"));
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value == null || !value.isString() ? "" : SafeText.escape(value.asString());
    }
}
