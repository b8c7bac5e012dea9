package dev.capsule.server.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One named retention rule for a table that would otherwise grow without bound, declared by the module that owns the
 * table as a bean; the platform runs every such bean on every node ({@link Purges}, docs/retention.md). A run binds
 * {@code :cutoff} to the database's clock minus {@link #keptFor} and deletes the rows {@link #expiredWhen} selects, at
 * most {@link #rowsPerStatement} per statement and {@link #statementsPerRun} statements, each statement its own
 * transaction; the next run comes {@link #interval} after a run ends.
 *
 * <p>Security guarantees: a purge deletes only rows its condition selects when the statement runs (re-checked on the
 * row's latest version, and rows another transaction has locked are skipped, never waited for), so running it on
 * several nodes at once, or twice, deletes nothing more; the SQL is made only from this record, whose table is a
 * checked identifier and whose condition is a constant of the declaring module, never from input; a run's work is
 * bounded by {@code rowsPerStatement × statementsPerRun} rows. With {@link #afterDelete}, the rows and what their action
 * erases commit together or not at all (an action that fails rolls its statement back).
 *
 * <p>Regions: every region's database has the same tables ({@link Residency}), and a run purges the table in each of them
 * (a control-plane table is empty in a regional database, so nothing happens there). For rows of a regional database,
 * {@link #afterDelete}'s action runs in that database's transaction: what it does through the platform's own
 * {@code JdbcClient} (the home database) is not part of that transaction and commits on its own, so such an action must
 * stay idempotent when the regional statement then rolls back.
 *
 * @param name             a stable name, {@code module.what} ("payments.nonces"): the metric tag and the log's name
 * @param table            the table rows are deleted from (a lower-case SQL identifier)
 * @param expiredWhen      a SQL condition over the table's columns selecting rows that may go, naming {@code :cutoff}
 *                         ("expires_at < :cutoff"); a constant of the declaring module
 * @param keptFor          how long past the condition's time column a row is kept: {@code :cutoff} is now minus this
 * @param rowsPerStatement rows one statement deletes at most
 * @param statementsPerRun statements one run issues at most (it stops early when a statement deletes fewer rows)
 * @param interval         the pause between the end of one run and the start of the next, on each node
 * @param category         the data category its rows belong to (docs/retention.md, "Policies by data category")
 * @param afterDelete      what must go with the deleted rows (storage they name, keys to destroy), run with the rows one
 *                         statement deleted in that statement's transaction; empty for a plain delete
 */
public record Purge(String name, String table, String expiredWhen, Duration keptFor, int rowsPerStatement, int statementsPerRun,
        Duration interval, RetentionCategory category, Optional<AfterDelete> afterDelete) {
    /** The most rows one statement may delete: a statement's locks and WAL stay small. */
    public static final int ROWS_PER_STATEMENT_MAX = 10_000;
    /** The most statements one run may issue. */
    public static final int STATEMENTS_PER_RUN_MAX = 100;
    /** The shortest pause between runs. */
    public static final Duration INTERVAL_MIN = Duration.ofSeconds(1);
    /** The longest pause between runs: a purge that runs less than daily is not one. */
    public static final Duration INTERVAL_MAX = Duration.ofDays(1);
    /** The longest retention a purge may declare (ten years). */
    public static final Duration KEPT_FOR_MAX = Duration.ofDays(3653);
    /** Characters of a condition. */
    public static final int CONDITION_CHARS_MAX = 1_000;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}(\\.[a-z][a-z0-9-]{0,30}){1,2}");
    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /**
     * What a purge does with the rows one statement deleted, before that statement's transaction commits: the
     * statement returns {@code columns} of each deleted row ({@code DELETE … RETURNING}) and {@code action} gets them;
     * if it throws, the statement is rolled back with it (the rows stay, for the next run).
     *
     * @param columns the columns to return (lower-case identifiers of the purge's table)
     * @param action  erases what the rows name; it must be idempotent and must not commit on its own
     */
    public record AfterDelete(List<String> columns, RowsAction action) {
        public AfterDelete {
            columns = List.copyOf(columns);
            Objects.requireNonNull(action, "action");
            if (columns.isEmpty() || !columns.stream().allMatch(column -> TABLE.matcher(column).matches())) {
                throw new IllegalArgumentException("afterDelete returns one or more lower-case column names, not " + columns);
            }
        }
    }

    /** See {@link AfterDelete}: the deleted rows' returned columns, by name. */
    @FunctionalInterface
    public interface RowsAction {
        void deleted(List<Map<String, Object>> rows);
    }

    /** A plain purge of {@link RetentionCategory#OPERATIONAL} rows. */
    public Purge(String name, String table, String expiredWhen, Duration keptFor, int rowsPerStatement, int statementsPerRun,
            Duration interval) {
        this(name, table, expiredWhen, keptFor, rowsPerStatement, statementsPerRun, interval, RetentionCategory.OPERATIONAL,
                Optional.empty());
    }

    /** This purge, its rows counted in {@code found}. */
    public Purge in(RetentionCategory found) {
        return new Purge(name, table, expiredWhen, keptFor, rowsPerStatement, statementsPerRun, interval, found, afterDelete);
    }

    /** This purge, with {@code then} run on the rows each statement deletes. */
    public Purge then(AfterDelete then) {
        return new Purge(name, table, expiredWhen, keptFor, rowsPerStatement, statementsPerRun, interval, category, Optional.of(then));
    }

    public Purge {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(expiredWhen, "expiredWhen");
        Objects.requireNonNull(keptFor, "keptFor");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(afterDelete, "afterDelete");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a purge name is module.what in lower case, not " + name);
        }
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("a table is a lower-case SQL identifier, not " + table);
        }
        // A condition is one expression: no statement separator or comment could end it early.
        if (expiredWhen.isBlank() || expiredWhen.length() > CONDITION_CHARS_MAX || !expiredWhen.contains(":cutoff")
                || expiredWhen.contains(";") || expiredWhen.contains("--") || expiredWhen.contains("/*")) {
            throw new IllegalArgumentException("purge " + name + ": a condition is one SQL expression naming :cutoff, at most "
                    + CONDITION_CHARS_MAX + " characters, without ';' or comments");
        }
        if (keptFor.isNegative() || keptFor.compareTo(KEPT_FOR_MAX) > 0) {
            throw new IllegalArgumentException("purge " + name + ": keptFor is 0 to " + KEPT_FOR_MAX.toDays() + " days");
        }
        if (rowsPerStatement < 1 || rowsPerStatement > ROWS_PER_STATEMENT_MAX) {
            throw new IllegalArgumentException("purge " + name + ": rowsPerStatement is 1 to " + ROWS_PER_STATEMENT_MAX);
        }
        if (statementsPerRun < 1 || statementsPerRun > STATEMENTS_PER_RUN_MAX) {
            throw new IllegalArgumentException("purge " + name + ": statementsPerRun is 1 to " + STATEMENTS_PER_RUN_MAX);
        }
        if (interval.compareTo(INTERVAL_MIN) < 0 || interval.compareTo(INTERVAL_MAX) > 0) {
            throw new IllegalArgumentException("purge " + name + ": interval is " + INTERVAL_MIN.toSeconds() + " s to "
                    + INTERVAL_MAX.toHours() + " h");
        }
    }

    /** The most rows one run deletes. */
    public long rowsPerRunMax() {
        return (long) rowsPerStatement * statementsPerRun;
    }
}
