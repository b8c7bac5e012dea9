package dev.capsule.server.audit.internal;

import dev.capsule.core.json.CanonicalJson;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.keys.SubjectKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Personal details in audit entries (today: the client address of an operator). They are never in clear: the entry
 * holds them sealed under a data-subject key ({@link SubjectKeys}) of the person they concern and the month they were
 * sealed in ({@link #monthKey}; the entry's {@code sealed.subject} names that key), bound to the entry's event id, with
 * a keyed pseudonym beside them. Destroying a month's key (the purge {@code audit.detail-keys}, after the
 * {@code audit-details} retention period; docs/retention.md) makes that person's details of that month unreadable while
 * the entries' bytes, and so the log, stay unchanged and verifiable. Details sealed before V117 are under the person's
 * own key ({@code sealed.subject} is the person), and open as long as it exists.
 *
 * <p>Security guarantees: a detail is sealed only under a key recorded in {@code audit_detail_keys} with its person and
 * month (the record is written in the statement that queues the entry, {@link PendingQueue}, or in the sequencer's
 * batch for an entry it seals), so the purge finds every month key that seals anything; the month is the UTC month of
 * the sealing, never a value from a request.
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

    /**
     * A month key in use: the data-subject key {@code key} seals {@code person}'s details of {@code month}
     * (a row of {@code audit_detail_keys}).
     */
    record DetailKey(UUID key, UUID person, YearMonth month) {
        DetailKey {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(month, "month");
        }

        /** The month's first day, as {@code audit_detail_keys.month} holds it. */
        LocalDate firstDay() {
            return month.atDay(1);
        }
    }

    /** The place a detail of event {@code eventId} is sealed for: the AEAD's associated data. */
    static FieldPlace place(UUID eventId) {
        return new FieldPlace(TENANT, TABLE, eventId.toString(), FIELD);
    }

    /** The data-subject key {@code person}'s details of {@code month} (UTC) are sealed under: a name-based UUID of both. */
    static UUID monthKey(UUID person, YearMonth month) {
        return UUID.nameUUIDFromBytes(("capsule.audit.details/1\n" + person + "\n" + month).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds the client address to {@code fields}: always its pseudonym (so an auditor can correlate events from one
     * address), and sealed for {@code person} under their key of the current month (UTC) when a person is known (so it
     * can be revealed until that key is destroyed).
     */
    void address(EntryFields fields, UUID eventId, UUID person, String address) {
        // The system clock, like the database's that stamps the entry's time; not a Clock bean, which tests move.
        address(fields, eventId, person, address, YearMonth.now(ZoneOffset.UTC));
    }

    /** As {@link #address(EntryFields, UUID, UUID, String)}, under the key of {@code month}: an entry's own (UTC) month. */
    void address(EntryFields fields, UUID eventId, UUID person, String address, YearMonth month) {
        fields.address(pseudonyms.tag(address));
        if (person != null) {
            DetailKey key = new DetailKey(monthKey(person, month), person, month);
            byte[] plaintext = CanonicalJson.bytes(Map.of("address", address));
            byte[] sealed = subjectKeys.seal(key.key(), plaintext, place(eventId));
            fields.sealed(key, Base64.getEncoder().encodeToString(sealed));
        }
    }

    /**
     * The person a detail sealed under {@code key} concerns, among the persons an entry names ({@code candidates}: its
     * subject and actor; every writer seals for one of them): the one whose own key it is (a detail sealed before V117),
     * or whose month key it is for the entry's month or the one next to it (the key's month is the sealing's, read from
     * this node's clock a moment before the database stamped the entry's {@code time}). Empty when none is.
     */
    static Optional<UUID> person(UUID key, Instant entryTime, Collection<UUID> candidates) {
        YearMonth month = YearMonth.from(entryTime.atOffset(ZoneOffset.UTC));
        for (UUID candidate : candidates) {
            if (candidate.equals(key)) {
                return Optional.of(candidate);
            }
            for (int months = -1; months <= 1; months++) {
                if (monthKey(candidate, month.plusMonths(months)).equals(key)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
