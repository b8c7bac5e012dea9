package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.SealedColumns;
import dev.capsule.server.keys.SealedColumnsHolder;
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
class MerchantSecretsHolder extends SealedColumnsHolder {
    private static final SealedColumns COLUMNS = new SealedColumns(DataPurpose.MERCHANT_SECRETS, "payments.merchant-keys.secret",
            "payments_merchant_key", List.of("key_id"),
            List.of(new SealedColumns.Column("secret_sealed", row -> MerchantKey.secretPlace(new MerchantKeyId(row.text(0))))));

    MerchantSecretsHolder(JdbcClient jdbc, FieldEncryption fields, PlatformTransactionManager transactionManager) {
        super(COLUMNS, jdbc, fields, new TransactionTemplate(transactionManager));
    }
}
