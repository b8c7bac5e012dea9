package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.WebhookEndpointId;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The webhook endpoints' sealed signing material ({@code payments_webhook_key.secret_sealed} and
 * {@code signing_key_sealed}), for the keys module's rotation of the {@code merchant-secrets} keys: without it a
 * rotation would retire the old key while endpoint secrets are still sealed under it, and deliveries could no longer
 * be signed. Expired versions are resealed too (an old key is retired only when no value needs it).
 *
 * <p>Security guarantees: values are re-encrypted with {@link FieldEncryption#reseal} at their own place
 * ({@link WebhookEndpoints#place}), never stored in clear; a row locked by another transaction is skipped and taken by
 * a later batch; a row is replaced only if it still holds both values read.
 */
@Component
class WebhookKeyHolder implements CiphertextHolder {
    private static final String UNDER = """
            (substring(secret_sealed FROM 1 FOR :n) = :p OR substring(signing_key_sealed FROM 1 FOR :n) = :p)""";

    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final TransactionTemplate transactions;

    WebhookKeyHolder(JdbcClient jdbc, FieldEncryption fields, PlatformTransactionManager transactionManager) {
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
        return "payments.webhook-keys";
    }

    @Override
    public long countUnder(int keyId) {
        return jdbc.sql("SELECT count(*) FROM payments_webhook_key WHERE " + UNDER)
                .param("n", FieldEncryption.PREFIX_BYTES).param("p", FieldEncryption.prefixOf(keyId)).query(Long.class).single();
    }

    @Override
    public int resealBatch(int keyId, int batchSize) {
        Integer changed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("SELECT endpoint_id, version, secret_sealed, signing_key_sealed FROM payments_webhook_key WHERE "
                            + UNDER + " ORDER BY endpoint_id, version LIMIT :batch FOR UPDATE SKIP LOCKED")
                    .param("n", FieldEncryption.PREFIX_BYTES).param("p", FieldEncryption.prefixOf(keyId)).param("batch", batchSize)
                    .query((rs, i) -> new Row(new WebhookEndpointId(rs.getString(1)), rs.getInt(2), rs.getBytes(3), rs.getBytes(4)))
                    .list();
            int count = 0;
            for (Row row : rows) {
                byte[] secret = fields.reseal(DataPurpose.MERCHANT_SECRETS, row.secret(), WebhookEndpoints.place(row.endpoint(), row.version(), "secret"));
                byte[] signing = fields.reseal(DataPurpose.MERCHANT_SECRETS, row.signingKey(),
                        WebhookEndpoints.place(row.endpoint(), row.version(), "signing-key"));
                count += jdbc.sql("""
                                UPDATE payments_webhook_key SET secret_sealed = :secret, signing_key_sealed = :signing
                                WHERE endpoint_id = :id AND version = :version AND secret_sealed = :oldSecret AND signing_key_sealed = :oldSigning""")
                        .param("secret", secret).param("signing", signing).param("id", row.endpoint().value())
                        .param("version", row.version()).param("oldSecret", row.secret()).param("oldSigning", row.signingKey())
                        .update();
            }
            return count;
        });
        return changed == null ? 0 : changed;
    }

    private record Row(WebhookEndpointId endpoint, int version, byte[] secret, byte[] signingKey) {
    }
}
