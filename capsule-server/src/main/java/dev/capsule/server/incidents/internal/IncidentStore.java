package dev.capsule.server.incidents.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.incidents.IncidentId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tables of V108: incidents and their append-only notes. Every read is bounded. */
@Repository
class IncidentStore {
    /** Incidents one list shows at most (newest first). */
    static final int INCIDENTS_LISTED_MAX = 100;
    /** Notes an incident holds at most. */
    static final int NOTES_PER_INCIDENT_MAX = 200;

    private final JdbcClient jdbc;

    IncidentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(IncidentId id, String title, IncidentSeverity severity, OperatorId openedBy, Instant openedAt, long auditFrom) {
        jdbc.sql("INSERT INTO incidents (incident_id, title, severity, state, opened_by, opened_at, audit_from) "
                        + "VALUES (?, ?, ?, 'open', ?, ?, ?)")
                .params(id.value(), title, severity.code(), openedBy.value(), Timestamp.from(openedAt), auditFrom).update();
    }

    /** The incident with its notes, locked for the rest of the transaction when {@code forUpdate}. */
    Optional<Incident> find(IncidentId id, boolean forUpdate) {
        Optional<Incident> incident = jdbc.sql("SELECT * FROM incidents WHERE incident_id = ?" + (forUpdate ? " FOR UPDATE" : ""))
                .param(id.value()).query((row, n) -> incident(row, List.of())).optional();
        return incident.map(found -> new Incident(found.id(), found.title(), found.severity(), found.state(), found.openedBy(),
                found.openedAt(), found.auditFrom(), found.containedAt(), found.closedAt(), notes(id)));
    }

    List<Incident> list() {
        return jdbc.sql("SELECT * FROM incidents ORDER BY opened_at DESC, incident_id LIMIT ?").param(INCIDENTS_LISTED_MAX)
                .query((row, n) -> incident(row, List.of())).list();
    }

    /** Moves the incident from {@code from} to {@code to}; false when it was not in {@code from}. */
    boolean transition(IncidentId id, IncidentState from, IncidentState to, OperatorId actor, Instant at) {
        String column = switch (to) {
            case CONTAINED -> "contained";
            case CLOSED -> "closed";
            case OPEN -> throw new IllegalArgumentException("no incident returns to open");
        };
        return jdbc.sql("UPDATE incidents SET state = ?, " + column + "_by = ?, " + column + "_at = ? WHERE incident_id = ? AND state = ?")
                .params(to.code(), actor.value(), Timestamp.from(at), id.value(), from.code()).update() == 1;
    }

    int noteCount(IncidentId id) {
        return jdbc.sql("SELECT count(*) FROM incident_notes WHERE incident_id = ?").param(id.value()).query(Integer.class).single();
    }

    void addNote(IncidentId id, int seq, OperatorId author, Instant at, String text) {
        jdbc.sql("INSERT INTO incident_notes (incident_id, seq, author, written_at, text) VALUES (?, ?, ?, ?, ?)")
                .params(id.value(), seq, author.value(), Timestamp.from(at), text).update();
    }

    private List<Incident.Note> notes(IncidentId id) {
        return jdbc.sql("SELECT seq, author, written_at, text FROM incident_notes WHERE incident_id = ? ORDER BY seq LIMIT ?")
                .params(id.value(), NOTES_PER_INCIDENT_MAX)
                .query((row, n) -> new Incident.Note(row.getInt(1), OperatorId.of(row.getObject(2, UUID.class)),
                        row.getTimestamp(3).toInstant(), row.getString(4)))
                .list();
    }

    private static Incident incident(ResultSet row, List<Incident.Note> notes) throws SQLException {
        return new Incident(new IncidentId(row.getObject("incident_id", UUID.class)), row.getString("title"),
                IncidentSeverity.fromCode(row.getString("severity")).orElseThrow(),
                IncidentState.fromCode(row.getString("state")).orElseThrow(),
                OperatorId.of(row.getObject("opened_by", UUID.class)), row.getTimestamp("opened_at").toInstant(),
                row.getLong("audit_from"), instant(row, "contained_at"), instant(row, "closed_at"), notes);
    }

    private static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
        Timestamp at = row.getTimestamp(column);
        return at == null ? Optional.empty() : Optional.of(at.toInstant());
    }
}
