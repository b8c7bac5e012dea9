package dev.capsule.server.keys;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where a module keeps values sealed by {@link FieldEncryption}: one table, the columns that identify a row, and the
 * sealed columns with each value's {@link FieldPlace}. A {@link SealedColumnsHolder} built from it counts and
 * reseals those values for key rotation, so a module describes its sealed columns instead of writing the SQL again.
 *
 * <p>Security guarantees: table and column names must be plain SQL identifiers ({@code [a-z_][a-z0-9_]*}, checked
 * here), since they are written into SQL; they are constants of the module, never input.
 *
 * @param purpose    the purpose whose keys seal these values
 * @param name       a short name for progress reports and logs ("payments.cards")
 * @param table      the table holding the values
 * @param keyColumns the columns identifying a row (its primary key), in order
 * @param columns    the sealed columns, each with the place of its value in a row (a column may be NULL)
 */
public record SealedColumns(DataPurpose purpose, String name, String table, List<String> keyColumns, List<Column> columns) {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public SealedColumns {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(name, "name");
        requireIdentifier(table);
        keyColumns = List.copyOf(keyColumns);
        columns = List.copyOf(columns);
        if (keyColumns.isEmpty() || columns.isEmpty()) {
            throw new IllegalArgumentException("sealed columns need at least one key column and one sealed column");
        }
        keyColumns.forEach(SealedColumns::requireIdentifier);
    }

    /** A row's key column values, in {@link #keyColumns} order, as read from the database. */
    public record RowKey(List<Object> values) {
        public RowKey {
            values = List.copyOf(values);
        }

        /** The text value of key column {@code index}. */
        public String text(int index) {
            return (String) values.get(index);
        }

        /** The integer value of key column {@code index}. */
        public int integer(int index) {
            return ((Number) values.get(index)).intValue();
        }

        /** The UUID value of key column {@code index}. */
        public UUID uuid(int index) {
            return (UUID) values.get(index);
        }
    }

    /**
     * A sealed column.
     *
     * @param name  the column
     * @param place the place its value was sealed at, from the row's key
     */
    public record Column(String name, Function<RowKey, FieldPlace> place) {
        public Column {
            requireIdentifier(name);
            Objects.requireNonNull(place, "place");
        }
    }

    private static void requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
    }
}
