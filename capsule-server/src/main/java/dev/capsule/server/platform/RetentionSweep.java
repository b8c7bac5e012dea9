package dev.capsule.server.platform;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the platform publishes for the audit log after a purge run that deleted rows, and after a failed run (the
 * audit module writes one {@code retention.sweep} entry for each; a run that deleted nothing publishes nothing).
 *
 * @param purge    the purge's name
 * @param category its data category
 * @param deleted  rows deleted by the run (for a failed run: before it failed; they stay deleted)
 * @param cutoff   rows older than this (the database's clock minus the purge's period) were eligible
 * @param failure  for a failed run, the exception's class and SQL state (never its message, which may quote data) and,
 *                 with several data-residency regions, the first region whose database failed ({@link Residency})
 */
public record RetentionSweep(String purge, RetentionCategory category, long deleted, Instant cutoff, Optional<String> failure) {
    public RetentionSweep {
        Objects.requireNonNull(purge, "purge");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(cutoff, "cutoff");
        Objects.requireNonNull(failure, "failure");
        if (deleted < 0) {
            throw new IllegalArgumentException("deleted is not negative");
        }
    }

    /** {@code success} or {@code failure}. */
    public String outcome() {
        return failure.isPresent() ? "failure" : "success";
    }
}
