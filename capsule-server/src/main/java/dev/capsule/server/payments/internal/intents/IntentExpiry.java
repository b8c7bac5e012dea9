package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.payments.PaymentIntentId;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Cancels intents whose {@code expiresAt} passed while they still awaited their payer (cancellation reason
 * {@code expired}), at most {@value #BATCH_MAX} per run, every {@value #PERIOD_MILLIS} ms, on any node: each intent
 * is re-checked under its row lock, so two nodes never cancel one twice.
 */
@Component
class IntentExpiry {
    static final int BATCH_MAX = 100;
    static final long PERIOD_MILLIS = 60_000;

    private final PaymentIntents intents;

    IntentExpiry(PaymentIntents intents) {
        this.intents = intents;
    }

    @Scheduled(initialDelay = PERIOD_MILLIS, fixedDelay = PERIOD_MILLIS)
    void run() {
        for (PaymentIntentId id : intents.expiredIntents(BATCH_MAX)) {
            intents.expire(id);
        }
    }
}
