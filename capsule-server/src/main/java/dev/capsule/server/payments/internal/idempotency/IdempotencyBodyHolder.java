package dev.capsule.server.payments.internal.idempotency;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.SealedColumns;
import dev.capsule.server.keys.SealedColumnsHolder;
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
class IdempotencyBodyHolder extends SealedColumnsHolder {
    private static final SealedColumns COLUMNS = new SealedColumns(DataPurpose.MERCHANT_SECRETS, "payments.idempotency.body",
            "payments_idempotency", List.of("scope", "idempotency_key"),
            List.of(new SealedColumns.Column("body", row -> JdbcIdempotentRequests.bodyPlace(row.text(0), row.text(1)))));

    IdempotencyBodyHolder(JdbcClient jdbc, FieldEncryption fields, PlatformTransactionManager transactionManager) {
        super(COLUMNS, jdbc, fields, new TransactionTemplate(transactionManager));
    }
}
