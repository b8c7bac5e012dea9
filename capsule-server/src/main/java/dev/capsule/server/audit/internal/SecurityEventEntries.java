package dev.capsule.server.audit.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.audit.SecurityEvent;
import java.time.YearMonth;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns the identity module's {@link SecurityEvent}s into entry fields: identifiers and codes in clear, the
 * client address only as {@link PersonalDetails} allow (sealed for the person concerned, and a pseudonym).
 * {@link Listener} writes each to the log, in the publisher's thread and transaction.
 */
@Component
class SecurityEventEntries {
    private final PersonalDetails personal;

    SecurityEventEntries(PersonalDetails personal) {
        this.personal = personal;
    }

    /** Writes identity's events: a separate bean, as the sequencer (which the queue needs) uses {@link #legacy}. */
    @Component
    static class Listener {
        private final SecurityEventEntries entries;
        private final PendingQueue queue;

        Listener(SecurityEventEntries entries, PendingQueue queue) {
            this.entries = entries;
            this.queue = queue;
        }

        @EventListener
        void on(SecurityEvent event) {
            UUID eventId = UUID.randomUUID();
            queue.add(eventId, entries.fields(eventId, event));
        }
    }

    EntryFields fields(UUID eventId, SecurityEvent event) {
        EntryFields fields = new EntryFields(eventId, event.type())
                .outcome(event.outcome())
                .actor(uuid(event.actor()))
                .subject(uuid(event.subject()))
                .reason(event.reason());
        if (event.sourceAddress() != null) {
            UUID person = event.subject() != null ? uuid(event.subject()) : uuid(event.actor());
            personal.address(fields, eventId, person, event.sourceAddress());
        }
        return fields;
    }

    /**
     * A row V40 moved from security_events (its address still in clear) as the entry it was: its type as
     * written then (the log keeps old names), its address sealed now, as recording would have, under the person's key
     * of {@code month}, the entry's own.
     */
    EntryFields legacy(UUID eventId, Map<String, Object> row, YearMonth month) {
        UUID actor = uuid((String) row.get("actor"));
        UUID subject = uuid((String) row.get("subject"));
        EntryFields fields = EntryFields.legacy(eventId, (String) row.get("type"))
                .outcome((String) row.get("outcome"))
                .actor(actor)
                .subject(subject)
                .reason((String) row.get("reason"))
                .apiKey((String) row.get("apiKey"));
        String address = (String) row.get("legacyAddress");
        if (address != null) {
            personal.address(fields, eventId, subject != null ? subject : actor,
                    address.length() > SecurityEvent.SOURCE_ADDRESS_CHARS_MAX ? address.substring(0, SecurityEvent.SOURCE_ADDRESS_CHARS_MAX) : address,
                    month);
        }
        return fields;
    }

    private static UUID uuid(OperatorId id) {
        return id == null ? null : id.value();
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }
}
