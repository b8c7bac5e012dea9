package dev.capsule.testing.server.payments;

import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.payments.internal.idempotency.IdempotentRequests;
import dev.capsule.server.payments.internal.vault.CardVault;
import dev.capsule.server.payments.internal.webhooks.WebhookOutbox;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * TEST-ONLY: registers a stand-in for each payments contract whose real implementation is not on this branch yet
 * (ledger, idempotency, webhooks, vault are built by other helpers in parallel). An auto-configuration of the test
 * classpath (META-INF/spring/…AutoConfiguration.imports), evaluated after the application's own components, so each
 * stand-in is skipped as soon as the real bean exists: once the branches are merged, none of them is used, and this
 * class (with its stand-ins) can be deleted.
 */
@AutoConfiguration
public class PaymentsStandIns {
    @Bean
    @ConditionalOnMissingBean(Ledger.class)
    Ledger standInLedger(JdbcClient jdbc, TransactionTemplate transactions) {
        return new StandInLedger(jdbc, transactions);
    }

    @Bean
    @ConditionalOnMissingBean(IdempotentRequests.class)
    IdempotentRequests standInIdempotentRequests(TransactionTemplate transactions) {
        return new StandInIdempotentRequests(transactions);
    }

    @Bean
    @ConditionalOnMissingBean(WebhookOutbox.class)
    WebhookOutbox standInWebhookOutbox() {
        return new StandInWebhookOutbox();
    }

    @Bean
    @ConditionalOnMissingBean(CardVault.class)
    CardVault standInCardVault() {
        return new StandInCardVault();
    }
}
