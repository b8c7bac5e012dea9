package dev.capsule.server.tlog;

import java.util.regex.Pattern;

/**
 * The tables of one Merkle log: {@code <prefix>_entries (idx bigint, entry bytea)} and
 * {@code <prefix>_nodes (level smallint, idx bigint, hash bytea)}, created by that log's own migration with the
 * append-only triggers (V40 for the audit log, V60 for the release log).
 *
 * <p>Security guarantees: the prefix is a fixed lower-case SQL identifier checked here, so the table names the
 * store puts into its SQL can never carry anything but letters, digits and underscores.
 */
public record LogTables(String prefix) {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    public LogTables {
        if (prefix == null || !IDENTIFIER.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a log table prefix is a lower-case SQL identifier of at most 40 characters, not " + prefix);
        }
    }

    /** The table of entries. */
    public String entries() {
        return prefix + "_entries";
    }

    /** The table of perfect-subtree hashes (level 0 = leaf hashes). */
    public String nodes() {
        return prefix + "_nodes";
    }
}
