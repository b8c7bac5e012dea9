package dev.capsule.server.privacy;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What one holder did to erase a person: rows deleted per table, rows kept with the legal basis for keeping them,
 * and the data-subject keys whose destruction makes what remains sealed for the person unreadable. It is part of
 * the erasure certificate in the audit log, so it names tables and counts, never a value.
 *
 * @param holder      the holder's name
 * @param deleted     rows deleted, per table
 * @param retained    rows kept, per table, with why (a legal obligation, GDPR art. 17(3)(b))
 * @param subjectKeys the data-subject keys ({@code keys.SubjectKeys}) to destroy
 */
public record Erasure(String holder, List<Deleted> deleted, List<Retained> retained, List<UUID> subjectKeys) {
    public Erasure {
        Objects.requireNonNull(holder, "holder");
        deleted = List.copyOf(deleted);
        retained = List.copyOf(retained);
        subjectKeys = List.copyOf(subjectKeys);
        if (!PersonalDataHolder.NAME.matcher(holder).matches()) {
            throw new IllegalArgumentException("a holder's name is lower-case dotted words: " + holder);
        }
    }

    /** Rows of {@code table} deleted. */
    public record Deleted(String table, long rows) {
        public Deleted {
            Objects.requireNonNull(table, "table");
            if (rows < 0) {
                throw new IllegalArgumentException("rows is never negative");
            }
        }
    }

    /** Rows of {@code table} kept, and the obligation that requires it (a sentence). */
    public record Retained(String table, long rows, String basis) {
        public Retained {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(basis, "basis");
            if (rows < 0) {
                throw new IllegalArgumentException("rows is never negative");
            }
        }
    }
}
