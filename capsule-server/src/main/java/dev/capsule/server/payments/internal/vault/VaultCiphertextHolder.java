package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The vault's sealed card numbers and names on cards, for the keys module's rotation of the {@code vault} keys: counts
 * and re-seals, in bounded batches, those still under an old key.
 *
 * <p>Security guarantees: values are re-sealed with {@link FieldEncryption#reseal} at their own token's place, never
 * stored in clear; rows locked by a payment or an addition are skipped and taken by a later batch; a column is replaced
 * only if it still holds the value read, so a concurrent change wins.
 */
@Component
class VaultCiphertextHolder implements CiphertextHolder {
    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final TransactionTemplate transactions;

    VaultCiphertextHolder(JdbcClient jdbc, FieldEncryption fields, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.fields = fields;
        this.transactions = transactions;
    }

    @Override
    public DataPurpose purpose() {
        return DataPurpose.VAULT;
    }

    @Override
    public String name() {
        return "payments.cards";
    }

    @Override
    public long countUnder(int keyId) {
        return jdbc.sql("""
                SELECT (SELECT count(*) FROM payments_card WHERE substring(number_sealed FROM 1 FOR 5) = :p)
                     + (SELECT count(*) FROM payments_card WHERE substring(holder_sealed FROM 1 FOR 5) = :p)""")
                .param("p", FieldEncryption.prefixOf(keyId)).query(Long.class).single();
    }

    @Override
    public int resealBatch(int keyId, int batchSize) {
        byte[] prefix = FieldEncryption.prefixOf(keyId);
        Integer changed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("""
                    SELECT token, number_sealed, holder_sealed FROM payments_card
                    WHERE substring(number_sealed FROM 1 FOR 5) = :p OR substring(holder_sealed FROM 1 FOR 5) = :p
                    ORDER BY token LIMIT :n FOR UPDATE SKIP LOCKED""")
                    .param("p", prefix).param("n", batchSize)
                    .query((rs, n) -> new Row(rs.getString(1), rs.getBytes(2), rs.getBytes(3))).list();
            int count = 0;
            for (Row row : rows) {
                count += reseal(row.token(), "number_sealed", row.number(), JdbcCardVault.numberPlace(row.token()), keyId);
                count += reseal(row.token(), "holder_sealed", row.holder(), JdbcCardVault.holderPlace(row.token()), keyId);
            }
            return count;
        });
        return changed == null ? 0 : changed;
    }

    private int reseal(String token, String column, byte[] sealed, FieldPlace place, int keyId) {
        if (FieldEncryption.keyIdOf(sealed) != keyId) {
            return 0;
        }
        byte[] resealed = fields.reseal(DataPurpose.VAULT, sealed, place);
        // The column names are the two constants above, never input.
        return jdbc.sql("UPDATE payments_card SET " + column + " = :new WHERE token = :t AND " + column + " = :old")
                .param("new", resealed).param("t", token).param("old", sealed).update();
    }

    private record Row(String token, byte[] number, byte[] holder) {
        @Override
        public String toString() {
            return "Row[" + token + ", <sealed>]";
        }
    }
}
