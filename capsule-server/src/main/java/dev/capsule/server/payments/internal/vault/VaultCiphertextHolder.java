package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.SealedColumns;
import dev.capsule.server.keys.SealedColumnsHolder;
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
class VaultCiphertextHolder extends SealedColumnsHolder {
    private static final SealedColumns COLUMNS = new SealedColumns(DataPurpose.VAULT, "payments.cards", "payments_card", List.of("token"),
            List.of(new SealedColumns.Column("number_sealed", row -> JdbcCardVault.numberPlace(row.text(0))),
                    new SealedColumns.Column("holder_sealed", row -> JdbcCardVault.holderPlace(row.text(0)))));

    VaultCiphertextHolder(JdbcClient jdbc, FieldEncryption fields, TransactionTemplate transactions) {
        super(COLUMNS, jdbc, fields, transactions);
    }
}
