package dev.capsule.server.platform;

import java.util.List;

/**
 * The platform's one retention mechanism: it runs every {@link Purge} bean on a fixed delay on every node and can run
 * one at once (for tests and operators' tools). A failed run is logged in one line without a stack trace, counted
 * ({@code capsule.retention.failures}) and retried at the next interval; deleted rows are counted
 * ({@code capsule.retention.deleted}, tagged with the purge's name). Every run that deleted rows, and every failed
 * run, is published as a {@link RetentionSweep} (one {@code retention.sweep} audit entry); a run that deleted nothing
 * publishes nothing. docs/retention.md lists every purge and the policies by data category.
 *
 * <p>Security guarantees: see {@link Purge}; a run never blocks on rows other transactions hold, and concurrent runs
 * of one purge on several nodes delete disjoint rows.
 */
public interface Purges {
    /** Every purge, in name order. */
    List<Purge> all();

    /**
     * Runs the purge of this name once, now, in the calling thread.
     *
     * @throws IllegalArgumentException if no purge has this name
     * @throws org.springframework.dao.DataAccessException if a statement fails (rows deleted before it stay deleted)
     */
    PurgeRun run(String name);

    /**
     * What one run did.
     *
     * @param deleted    rows deleted
     * @param statements statements issued
     * @param caughtUp   whether the last statement deleted fewer rows than it could, so no expired row was left (at
     *                   that moment); false when the run stopped at {@link Purge#statementsPerRun}
     */
    record PurgeRun(String name, long deleted, int statements, boolean caughtUp) {
    }
}
