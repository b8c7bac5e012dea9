package dev.capsule.server.incidents.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.incidents.IncidentId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An incident's record (V108).
 *
 * @param auditFrom the audit log's size when it was opened (where its timeline starts)
 * @param notes     its notes, oldest first (empty in lists)
 */
record Incident(IncidentId id, String title, IncidentSeverity severity, IncidentState state, OperatorId openedBy, Instant openedAt,
                long auditFrom, Optional<Instant> containedAt, Optional<Instant> closedAt, List<Note> notes) {
    Incident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(openedBy, "openedBy");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(containedAt, "containedAt");
        Objects.requireNonNull(closedAt, "closedAt");
        notes = List.copyOf(notes);
    }

    /** A note, as written (operator text: printed escaped). */
    record Note(int seq, OperatorId author, Instant writtenAt, String text) {
        Note {
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(writtenAt, "writtenAt");
            Objects.requireNonNull(text, "text");
        }
    }
}
