package dev.capsule.server.audit.internal;

import dev.capsule.core.json.CanonicalJson;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.keys.SubjectKeys;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Personal details in audit entries (today: the client address). They are never in clear: the entry
 * holds them sealed under the data key of the person they concern ({@link SubjectKeys}), bound to the
 * entry's event id, with a keyed pseudonym beside them, so erasing the person (crypto-shredding) makes them unreadable while the entry's
 * bytes, and so the log, stay unchanged and verifiable.
 */
@Component
class PersonalDetails {
    static final String TENANT = "platform";
    static final String TABLE = "audit-log";
    static final String FIELD = "details";

    private final SubjectKeys subjectKeys;
    private final Pseudonyms pseudonyms;

    PersonalDetails(SubjectKeys subjectKeys, Pseudonyms pseudonyms) {
        this.subjectKeys = subjectKeys;
        this.pseudonyms = pseudonyms;
    }

    /** The place a detail of event {@code eventId} is sealed for: the AEAD's associated data. */
    static FieldPlace place(UUID eventId) {
        return new FieldPlace(TENANT, TABLE, eventId.toString(), FIELD);
    }

    /**
     * Adds the client address to {@code fields}: always its pseudonym (so an auditor can correlate events
     * from one address), and sealed for {@code person} when one is known (so it can be revealed until the
     * person is erased).
     */
    void address(EntryFields fields, UUID eventId, UUID person, String address) {
        fields.address(pseudonyms.tag(address));
        if (person != null) {
            byte[] plaintext = CanonicalJson.bytes(Map.of("address", address));
            byte[] sealed = subjectKeys.seal(person, plaintext, place(eventId));
            fields.sealed(person, Base64.getEncoder().encodeToString(sealed));
        }
    }

}
