package dev.capsule.server.keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one {@link CiphertextHolder} implementation for values sealed in table columns: a module extends it as a small
 * Spring bean, passing its {@link SealedColumns}. A value is "under" a key when its first
 * {@link FieldEncryption#PREFIX_BYTES} bytes are that key's {@link FieldEncryption#prefixOf prefix}.
 *
 * <p>Security guarantees: {@link #countUnder} counts values (each sealed column of each row), so a key is retired only
 * when no column of any row needs it; {@link #resealBatch} takes at most {@code batchSize} rows holding a value under
 * the key, in key order, locked {@code FOR UPDATE SKIP LOCKED} (a row locked by another transaction is skipped and taken
 * by a later batch), re-encrypts each such value with {@link FieldEncryption#reseal} at its own place (never storing
 * plaintext), and replaces a row's values only if the row still holds every sealed value read (compare-and-set), so a
 * concurrent change wins.
 */
public abstract class SealedColumnsHolder implements CiphertextHolder {
    private final SealedColumns columns;
    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final TransactionTemplate transactions;
    private final String countSql;
    private final String selectSql;

    protected SealedColumnsHolder(SealedColumns columns, JdbcClient jdbc, FieldEncryption fields, TransactionTemplate transactions) {
        this.columns = columns;
        this.jdbc = jdbc;
        this.fields = fields;
        this.transactions = transactions;
        List<String> sealed = columns.columns().stream().map(SealedColumns.Column::name).toList();
        // Identifiers are checked by SealedColumns; values are always bound parameters.
        this.countSql = "SELECT " + sealed.stream().map(c -> "count(*) FILTER (WHERE " + under(c) + ")").collect(Collectors.joining(" + "))
                + " FROM " + columns.table();
        this.selectSql = "SELECT " + String.join(", ", columns.keyColumns()) + ", " + String.join(", ", sealed)
                + " FROM " + columns.table()
                + " WHERE " + sealed.stream().map(SealedColumnsHolder::under).collect(Collectors.joining(" OR "))
                + " ORDER BY " + String.join(", ", columns.keyColumns()) + " LIMIT :batch FOR UPDATE SKIP LOCKED";
    }

    @Override
    public final DataPurpose purpose() {
        return columns.purpose();
    }

    @Override
    public final String name() {
        return columns.name();
    }

    @Override
    public final long countUnder(int keyId) {
        return jdbc.sql(countSql).param("n", FieldEncryption.PREFIX_BYTES).param("p", FieldEncryption.prefixOf(keyId))
                .query(Long.class).single();
    }

    @Override
    public final int resealBatch(int keyId, int batchSize) {
        byte[] prefix = FieldEncryption.prefixOf(keyId);
        int keyCount = columns.keyColumns().size();
        int sealedCount = columns.columns().size();
        Integer changed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql(selectSql)
                    .param("n", FieldEncryption.PREFIX_BYTES).param("p", prefix).param("batch", batchSize)
                    .query((rs, i) -> {
                        List<Object> key = new ArrayList<>(keyCount);
                        for (int k = 1; k <= keyCount; k++) {
                            key.add(rs.getObject(k));
                        }
                        List<byte[]> values = new ArrayList<>(sealedCount);
                        for (int c = 1; c <= sealedCount; c++) {
                            values.add(rs.getBytes(keyCount + c));
                        }
                        return new Row(new SealedColumns.RowKey(key), values);
                    }).list();
            int count = 0;
            for (Row row : rows) {
                count += reseal(row, prefix);
            }
            return count;
        });
        return changed == null ? 0 : changed;
    }

    /** Reseals the row's values under the key in one compare-and-set update; returns how many values it changed. */
    private int reseal(Row row, byte[] prefix) {
        List<String> set = new ArrayList<>();
        List<String> where = new ArrayList<>();
        List<Object[]> params = new ArrayList<>();
        for (int k = 0; k < columns.keyColumns().size(); k++) {
            where.add(columns.keyColumns().get(k) + " = :k" + k);
            params.add(new Object[] {"k" + k, row.key().values().get(k)});
        }
        for (int c = 0; c < columns.columns().size(); c++) {
            SealedColumns.Column column = columns.columns().get(c);
            byte[] old = row.values().get(c);
            if (old == null) {
                where.add(column.name() + " IS NULL");
                continue;
            }
            where.add(column.name() + " = :old" + c);
            params.add(new Object[] {"old" + c, old});
            if (isUnder(old, prefix)) {
                set.add(column.name() + " = :new" + c);
                params.add(new Object[] {"new" + c, fields.reseal(columns.purpose(), old, column.place().apply(row.key()))});
            }
        }
        if (set.isEmpty()) {
            return 0;
        }
        JdbcClient.StatementSpec update = jdbc.sql("UPDATE " + columns.table() + " SET " + String.join(", ", set)
                + " WHERE " + String.join(" AND ", where));
        for (Object[] param : params) {
            update = update.param((String) param[0], param[1]);
        }
        return update.update() * set.size();
    }

    private static boolean isUnder(byte[] sealed, byte[] prefix) {
        return sealed.length >= FieldEncryption.PREFIX_BYTES
                && Arrays.equals(sealed, 0, FieldEncryption.PREFIX_BYTES, prefix, 0, FieldEncryption.PREFIX_BYTES);
    }

    private static String under(String column) {
        return "substring(" + column + " FROM 1 FOR :n) = :p";
    }

    private record Row(SealedColumns.RowKey key, List<byte[]> values) {
        @Override
        public String toString() {
            return "Row[" + key + ", <sealed>]";
        }
    }
}
