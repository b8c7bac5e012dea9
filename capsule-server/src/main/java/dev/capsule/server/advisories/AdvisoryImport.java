package dev.capsule.server.advisories;

import java.time.Instant;
import java.util.List;

/**
 * One run of an OSV export import: its outcome and counts ({@code entries} = inserted + updated + unchanged +
 * refused).
 *
 * @param outcome {@code running}, {@code completed} or {@code failed}
 * @param finishedAt null while running
 * @param failure why a failed import stopped (one line), else null
 * @param refusals the first refusals as "ENTRY: reason" (only in the answer of the import itself; empty in listings)
 */
public record AdvisoryImport(long id, String fileName, Instant startedAt, Instant finishedAt, String outcome, long entries, long inserted,
        long updated, long unchanged, long refused, long withdrawn, String failure, List<String> refusals) {
    public AdvisoryImport {
        refusals = List.copyOf(refusals);
    }
}
