package dev.capsule.server.privacy;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A module's answer for the personal data it holds about an end user: what to put in the user's export, and how to
 * erase it. Every module with a table that names an end user registers one implementation as a Spring bean; the
 * privacy module finds them by type, so a data-subject request reaches every module without a list to keep, and
 * {@code PersonalDataCoverageTest} fails for a table with a subject column that no holder claims.
 *
 * <p>Security guarantees expected of an implementation: {@link #export} returns only rows about this subject (a
 * query by the subject's own key, never a guess), bounded by {@link #RECORDS_MAX}, with secrets and payment card
 * numbers masked (the export is handed to the person, who holds no platform secret); {@link #erase} deletes or
 * makes unreadable every row about the subject that no law requires the platform to keep, says which it kept and
 * why, and names the data-subject keys ({@code keys.SubjectKeys}) whose destruction makes the rest unreadable. The
 * privacy module destroys those keys after every holder has run, once, and records it in the audit log.
 */
public interface PersonalDataHolder {
    /** Most records one holder puts in one export; beyond it the section says {@code truncated}. */
    int RECORDS_MAX = 10_000;

    /** A name for this holder in exports and erasure certificates ("host.storage"). */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

    /** This holder's name: lower-case dotted words, the module first. */
    String name();

    /** The tables whose rows about an end user this holder answers for. */
    Set<String> tables();

    /** What this holder keeps about {@code subject}, for the subject's export. */
    HeldData export(DataSubject subject);

    /** Deletes or shreds what this holder keeps about {@code subject}; idempotent. */
    Erasure erase(DataSubject subject);

    /**
     * The tables among {@link #tables()} whose rows hold personal data in clear (not only pseudonyms or ciphertext
     * under a subject key): a deleted row's bytes stay in the table's files until PostgreSQL reuses the space, so
     * after an erasure the privacy module rewrites these tables ({@code VACUUM FULL}, throttled). Keep it to small
     * tables; large ones should hold pseudonyms or ciphertext instead.
     */
    default Set<String> rewrittenAfterErasure() {
        return Set.of();
    }
}
