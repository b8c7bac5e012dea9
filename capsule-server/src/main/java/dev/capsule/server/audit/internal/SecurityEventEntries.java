package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.SecurityEvent;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a {@link SecurityEvent} into entry fields: identifiers and codes in clear, the client address
 * only as {@link PersonalDetails} allow (sealed for the person concerned, and a pseudonym).
 */
@Component
class SecurityEventEntries {
    private final PersonalDetails personal;

    SecurityEventEntries(PersonalDetails personal) {
        this.personal = personal;
    }

    EntryFields fields(UUID eventId, SecurityEvent event) {
        EntryFields fields = new EntryFields(eventId, event.type())
                .outcome(event.outcome().code())
                .actor(event.actorId())
                .subject(event.subjectId())
                .reason(event.reason())
                .apiKey(event.apiKeyId());
        if (event.sourceAddress() != null) {
            UUID person = event.subjectId() != null ? event.subjectId() : event.actorId();
            personal.address(fields, eventId, person, event.sourceAddress());
        }
        return fields;
    }

    /** A row V40 moved from security_events (its address still in clear) as the event it was. */
    static SecurityEvent legacyEvent(Map<String, Object> fields) {
        return new SecurityEvent((String) fields.get("type"),
                SecurityEvent.Outcome.valueOf(((String) fields.get("outcome")).toUpperCase(Locale.ROOT)),
                uuid(fields.get("actor")), uuid(fields.get("subject")), (String) fields.get("reason"),
                (String) fields.get("legacyAddress"), (String) fields.get("apiKey"));
    }

    private static UUID uuid(Object value) {
        return value == null ? null : UUID.fromString((String) value);
    }
}
