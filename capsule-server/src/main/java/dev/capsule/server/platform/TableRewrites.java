package dev.capsule.server.platform;

import java.util.regex.Pattern;

/**
 * Rewriting a table after deletes that must leave the database's files (crypto-shredding, a person's erasure): a
 * DELETE only marks a row dead, and even a plain VACUUM may leave its bytes in the page's free space, so a module that
 * deleted something nobody may recover asks for the table to be rewritten ({@code VACUUM (FULL)}: a new file with only
 * the live rows; PostgreSQL empties and removes the old one). Requests are gathered and run on this node at most every
 * {@link #INTERVAL_MILLIS} ms, not per delete, because a rewrite locks the table while it runs: keep it to tables that
 * stay small.
 *
 * <p>Security guarantees: a table name is a checked SQL identifier, never input; what remains after a rewrite is the
 * write-ahead log and backups taken before it (docs/keys.md).
 */
public interface TableRewrites {
    /** How often requested rewrites run, on each node. */
    long INTERVAL_MILLIS = 60_000;
    /** A table name: a lower-case SQL identifier. */
    Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /**
     * Asks for {@code table} to be rewritten at the next run (idempotent until then); inside a transaction, from its
     * commit (a rewrite before it would still see the deleted rows), and not at all if it rolls back.
     */
    void request(String table);

    /** Rewrites every requested table now, outside any transaction (VACUUM cannot run inside one): for tests and commands. */
    void runNow();
}
