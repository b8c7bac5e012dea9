package dev.capsule.server.audit.internal;

import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.SubjectKeys;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Personal details in audit entries (today: the client address). They are never in clear: the entry
 * holds them sealed under the data key of the person they concern ({@link SubjectKeys}), bound to the
 * entry's event id, so erasing the person (crypto-shredding) makes them unreadable while the entry's
 * bytes, and so the log, stay unchanged and verifiable.
 */
@Component
class PersonalDetails {
    static final String TENANT = "platform";
    static final String TABLE = "audit-log";
    static final String FIELD = "details";

    private final SubjectKeys subjectKeys;

    PersonalDetails(SubjectKeys subjectKeys) {
        this.subjectKeys = subjectKeys;
    }

    /** The place a detail of event {@code eventId} is sealed for: the AEAD's associated data. */
    static FieldPlace place(UUID eventId) {
        return new FieldPlace(TENANT, TABLE, eventId.toString(), FIELD);
    }

    /** Adds the client address to {@code fields}: sealed for {@code person} when one is known. */
    void address(EntryFields fields, UUID eventId, UUID person, String address) {
        if (person != null) {
            byte[] plaintext = CanonicalJson.bytes(Map.of("address", address));
            byte[] sealed = subjectKeys.seal(person, plaintext, place(eventId));
            fields.sealed(person, Base64.getEncoder().encodeToString(sealed));
        }
    }

}
