package dev.capsule.server.identity.internal;

import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operators' sealed TOTP secrets (enrolled and pending), for the keys module's rotation of the
 * {@code operator-secrets} keys: counts and re-encrypts those still under an old key.
 *
 * <p>Security guarantees: values are re-encrypted with {@link FieldEncryption#reseal} at their own place
 * (never stored in clear); a row locked by a sign-in is skipped and taken by a later batch; a column is
 * only replaced if it still holds the value read, so a concurrent enrolment or reset wins.
 */
@Component
class OperatorSecretsHolder implements CiphertextHolder {
    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final TransactionTemplate transactions;

    OperatorSecretsHolder(JdbcClient jdbc, FieldEncryption fields, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.fields = fields;
        this.transactions = transactions;
    }

    @Override
    public DataPurpose purpose() {
        return DataPurpose.OPERATOR_SECRETS;
    }

    @Override
    public String name() {
        return "identity.operators.totp";
    }

    @Override
    public long countUnder(int keyId) {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE substring(totp_secret_sealed FROM 1 FOR 5) = :p)
                     + count(*) FILTER (WHERE substring(totp_pending_secret_sealed FROM 1 FOR 5) = :p)
                FROM operators""").param("p", FieldEncryption.prefixOf(keyId)).query(Long.class).single();
    }

    @Override
    public int resealBatch(int keyId, int batchSize) {
        byte[] prefix = FieldEncryption.prefixOf(keyId);
        Integer changed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("""
                    SELECT id, totp_secret_sealed, totp_pending_secret_sealed FROM operators
                    WHERE substring(totp_secret_sealed FROM 1 FOR 5) = :p OR substring(totp_pending_secret_sealed FROM 1 FOR 5) = :p
                    ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED""")
                    .param("p", prefix).param("n", batchSize)
                    .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getBytes(2), rs.getBytes(3))).list();
            int count = 0;
            for (Row row : rows) {
                count += reseal(row.id(), "totp_secret_sealed", row.enrolled(), keyId);
                count += reseal(row.id(), "totp_pending_secret_sealed", row.pending(), keyId);
            }
            return count;
        });
        return changed == null ? 0 : changed;
    }

    private int reseal(UUID id, String column, byte[] sealed, int keyId) {
        if (sealed == null || sealed.length < FieldEncryption.PREFIX_BYTES || FieldEncryption.keyIdOf(sealed) != keyId) {
            return 0;
        }
        byte[] resealed = fields.reseal(DataPurpose.OPERATOR_SECRETS, sealed, TotpCodes.place(id));
        // The column names are the two constants above, never input.
        return jdbc.sql("UPDATE operators SET " + column + " = :new WHERE id = :id AND " + column + " = :old")
                .param("new", resealed).param("id", id).param("old", sealed).update();
    }

    private record Row(UUID id, byte[] enrolled, byte[] pending) {
    }
}
