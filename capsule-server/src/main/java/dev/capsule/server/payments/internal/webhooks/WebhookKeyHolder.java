package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.SealedColumns;
import dev.capsule.server.keys.SealedColumnsHolder;
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
class WebhookKeyHolder extends SealedColumnsHolder {
    private static final SealedColumns COLUMNS = new SealedColumns(DataPurpose.MERCHANT_SECRETS, "payments.webhook-keys",
            "payments_webhook_key", List.of("endpoint_id", "version"), List.of(
                    new SealedColumns.Column("secret_sealed", row -> place(row, "secret")),
                    new SealedColumns.Column("signing_key_sealed", row -> place(row, "signing-key"))));

    WebhookKeyHolder(JdbcClient jdbc, FieldEncryption fields, PlatformTransactionManager transactionManager) {
        super(COLUMNS, jdbc, fields, new TransactionTemplate(transactionManager));
    }

    private static FieldPlace place(SealedColumns.RowKey row, String field) {
        return WebhookEndpoints.place(new WebhookEndpointId(row.text(0)), row.integer(1), field);
    }
}
