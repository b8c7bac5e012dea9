package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantKeyId;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The merchants' sealed HMAC secrets ({@code payments_merchant_key.secret_sealed}), for the keys module's rotation of
 * the {@code merchant-secrets} keys: counts and re-encrypts those still under an old key. Revoked keys' secrets are
 * resealed too (an old key is retired only when no value needs it).
 *
 * <p>Security guarantees: values are re-encrypted with {@link FieldEncryption#reseal} at their own place
 * ({@link MerchantKey#secretPlace}), never stored in clear; a row locked by another transaction is skipped and taken by
 * a later batch; a value is replaced only if the row still holds the value read.
 */
@Component
class MerchantSecretsHolder implements CiphertextHolder {
    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final TransactionTemplate transactions;

    MerchantSecretsHolder(JdbcClient jdbc, FieldEncryption fields, PlatformTransactionManager transactionManager) {
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
        return "payments.merchant-keys.secret";
    }

    @Override
    public long countUnder(int keyId) {
        return jdbc.sql("SELECT count(*) FROM payments_merchant_key WHERE substring(secret_sealed FROM 1 FOR :n) = :p")
                .param("n", FieldEncryption.PREFIX_BYTES).param("p", FieldEncryption.prefixOf(keyId)).query(Long.class).single();
    }

    @Override
    public int resealBatch(int keyId, int batchSize) {
        byte[] prefix = FieldEncryption.prefixOf(keyId);
        Integer changed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("""
                            SELECT key_id, secret_sealed FROM payments_merchant_key
                            WHERE substring(secret_sealed FROM 1 FOR :n) = :p
                            ORDER BY key_id LIMIT :batch FOR UPDATE SKIP LOCKED""")
                    .param("n", FieldEncryption.PREFIX_BYTES).param("p", prefix).param("batch", batchSize)
                    .query((rs, i) -> new Row(new MerchantKeyId(rs.getString(1)), rs.getBytes(2))).list();
            int count = 0;
            for (Row row : rows) {
                byte[] resealed = fields.reseal(DataPurpose.MERCHANT_SECRETS, row.sealed(), MerchantKey.secretPlace(row.key()));
                count += jdbc.sql("UPDATE payments_merchant_key SET secret_sealed = :new WHERE key_id = :key AND secret_sealed = :old")
                        .param("new", resealed).param("key", row.key().value()).param("old", row.sealed()).update();
            }
            return count;
        });
        return changed == null ? 0 : changed;
    }

    private record Row(MerchantKeyId key, byte[] sealed) {
    }
}
