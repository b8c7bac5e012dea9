package dev.capsule.server.payments.internal.idempotency;

import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sealed response bodies of Idempotency-Key records ({@code payments_idempotency.body}), for the keys module's
 * rotation of the {@code merchant-secrets} keys: a record can be replayed for 24 hours, so its body is resealed like
 * any other value rather than left to expire under a key that rotation retires. Expired rows not yet cleaned up are
 * resealed too (cheap, and the count then needs no clock).
 *
 * <p>Security guarantees: bodies are re-encrypted with {@link FieldEncryption#reseal} at their own place
 * ({@link JdbcIdempotentRequests#bodyPlace}), never stored in clear; a row locked by another transaction is skipped
 * and taken by a later batch; a row is replaced only if it still holds the value read.
 */
@Component
class IdempotencyBodyHolder implements CiphertextHolder {
    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final TransactionTemplate transactions;

    IdempotencyBodyHolder(JdbcClient jdbc, FieldEncryption fields, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.fields = fields;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Override
    public DataPurpose purpose() {
        return DataPurpose.MERCHANT_SECRETS;
    }

    @Override
    public String name() {
        return "payments.idempotency.body";
    }

    @Override
    public long countUnder(int keyId) {
        return jdbc.sql("SELECT count(*) FROM payments_idempotency WHERE substring(body FROM 1 FOR :n) = :p")
                .param("n", FieldEncryption.PREFIX_BYTES).param("p", FieldEncryption.prefixOf(keyId)).query(Long.class).single();
    }

    @Override
    public int resealBatch(int keyId, int batchSize) {
        Integer changed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("""
                            SELECT scope, idempotency_key, body FROM payments_idempotency
                            WHERE substring(body FROM 1 FOR :n) = :p
                            ORDER BY scope, idempotency_key LIMIT :batch FOR UPDATE SKIP LOCKED""")
                    .param("n", FieldEncryption.PREFIX_BYTES).param("p", FieldEncryption.prefixOf(keyId)).param("batch", batchSize)
                    .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getBytes(3))).list();
            int count = 0;
            for (Row row : rows) {
                byte[] resealed = fields.reseal(DataPurpose.MERCHANT_SECRETS, row.body(), JdbcIdempotentRequests.bodyPlace(row.scope(), row.key()));
                count += jdbc.sql("UPDATE payments_idempotency SET body = :new WHERE scope = :scope AND idempotency_key = :key AND body = :old")
                        .param("new", resealed).param("scope", row.scope()).param("key", row.key()).param("old", row.body()).update();
            }
            return count;
        });
        return changed == null ? 0 : changed;
    }

    private record Row(String scope, String key, byte[] body) {
    }
}
