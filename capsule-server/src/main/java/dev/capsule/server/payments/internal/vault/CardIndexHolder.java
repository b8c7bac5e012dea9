package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.KeyedIndex;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The vault's keyed index, for the keys module's rotation of the {@code card-index} keys: counts the rows whose tag an
 * old key made and re-indexes them, in bounded batches, under the new primary key (the tag is a keyed hash, so the
 * number is opened from its {@code vault} seal in memory to compute the new tag; it is never stored in clear). Once
 * none is left the keys module retires the old key, and lookups stop trying it ({@link KeyedIndex#candidates}).
 *
 * <p>Security guarantees: rows locked by a payment or an addition are skipped and taken by a later batch; a row's tag is
 * replaced only if it is still the one read, so a concurrent change wins.
 */
@Component
class CardIndexHolder implements CiphertextHolder {
    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final KeyedIndex index;
    private final TransactionTemplate transactions;

    CardIndexHolder(JdbcClient jdbc, FieldEncryption fields, KeyedIndex index, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.fields = fields;
        this.index = index;
        this.transactions = transactions;
    }

    @Override
    public DataPurpose purpose() {
        return DataPurpose.CARD_INDEX;
    }

    @Override
    public String name() {
        return "payments.cards.index";
    }

    @Override
    public long countUnder(int keyId) {
        return jdbc.sql("SELECT count(*) FROM payments_card WHERE index_key_id = :k")
                .param("k", Integer.toUnsignedLong(keyId)).query(Long.class).single();
    }

    @Override
    public int resealBatch(int keyId, int batchSize) {
        Integer changed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("""
                    SELECT token, number_sealed, index_tag FROM payments_card WHERE index_key_id = :k
                    ORDER BY token LIMIT :n FOR UPDATE SKIP LOCKED""")
                    .param("k", Integer.toUnsignedLong(keyId)).param("n", batchSize)
                    .query((rs, n) -> new Row(rs.getString(1), rs.getBytes(2), rs.getString(3))).list();
            int count = 0;
            for (Row row : rows) {
                byte[] digits = fields.open(DataPurpose.VAULT, row.number(), JdbcCardVault.numberPlace(row.token()));
                KeyedIndex.Tag tag;
                try {
                    tag = index.tag(DataPurpose.CARD_INDEX, digits);
                } finally {
                    Arrays.fill(digits, (byte) 0);
                }
                count += jdbc.sql("""
                        UPDATE payments_card SET index_key_id = :nk, index_tag = :ng
                        WHERE token = :t AND index_key_id = :ok AND index_tag = :og""")
                        .param("nk", Integer.toUnsignedLong(tag.keyId())).param("ng", tag.hex()).param("t", row.token())
                        .param("ok", Integer.toUnsignedLong(keyId)).param("og", row.tag()).update();
            }
            return count;
        });
        return changed == null ? 0 : changed;
    }

    private record Row(String token, byte[] number, String tag) {
        @Override
        public String toString() {
            return "Row[" + token + ", <sealed>]";
        }
    }
}
