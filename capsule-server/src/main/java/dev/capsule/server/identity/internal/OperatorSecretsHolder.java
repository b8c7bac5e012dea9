package dev.capsule.server.identity.internal;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.SealedColumns;
import dev.capsule.server.keys.SealedColumnsHolder;
import java.util.List;
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
class OperatorSecretsHolder extends SealedColumnsHolder {
    private static final SealedColumns COLUMNS = new SealedColumns(DataPurpose.OPERATOR_SECRETS, "identity.operators.totp", "operators",
            List.of("id"), List.of(new SealedColumns.Column("totp_secret_sealed", row -> TotpCodes.place(row.uuid(0))),
                    new SealedColumns.Column("totp_pending_secret_sealed", row -> TotpCodes.place(row.uuid(0)))));

    OperatorSecretsHolder(JdbcClient jdbc, FieldEncryption fields, TransactionTemplate transactions) {
        super(COLUMNS, jdbc, fields, transactions);
    }
}
