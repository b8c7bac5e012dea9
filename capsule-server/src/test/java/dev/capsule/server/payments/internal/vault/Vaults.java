package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.KeyedIndex;
import dev.capsule.server.payments.internal.acquirer.Acquirer;
import dev.capsule.server.payments.internal.merchants.MerchantDirectory;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The real vault on the test context's database, keys and audit log, with an acquirer the test chooses: none (to show the
 * vault fails closed whatever beans the context has) or one that records what the vault hands it (the acquirer is a
 * remote bank's interface; the payments module's own {@code test} acquirer is another part's).
 */
final class Vaults {
    private Vaults() {
    }

    static CardVault with(Optional<Acquirer> acquirer, JdbcClient jdbc, FieldEncryption fields, KeyedIndex index,
            MerchantDirectory merchants, ApplicationEventPublisher events, TransactionTemplate transactions) {
        return new JdbcCardVault(jdbc, fields, index, merchants, acquirer, events, transactions);
    }
}
