package dev.capsule.testing.server.payments;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.internal.webhooks.WebhookOutbox;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * TEST-ONLY stand-in for the webhooks helper's {@link WebhookOutbox} until its branch is merged ({@link PaymentsStandIns}
 * registers it only when no such bean exists): it delivers nothing and records each message when the transaction that
 * queued it commits (a rolled-back change leaves no message, as with the real outbox table).
 */
public final class StandInWebhookOutbox implements WebhookOutbox {
    public record Message(String id, MerchantId merchant, String type, JsonNode data) {
    }

    private final List<Message> messages = new CopyOnWriteArrayList<>();

    @Override
    public String enqueue(MerchantId merchant, String type, JsonNode data) {
        Message message = new Message("msg_" + UUID.randomUUID().toString().replace("-", ""), merchant, type, data.deepCopy());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    messages.add(message);
                }
            });
        } else {
            messages.add(message);
        }
        return message.id();
    }

    /** The committed messages of one merchant, in order. */
    public List<Message> messages(MerchantId merchant) {
        return messages.stream().filter(message -> message.merchant().equals(merchant)).toList();
    }
}
