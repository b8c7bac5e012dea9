package dev.capsule.server.releases.internal;

import dev.capsule.server.releases.ReleaseEvent;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/** The one way a release action runs: in one transaction, and a refusal audited after that transaction rolled back. */
final class Refusals {
    private Refusals() {
    }

    /**
     * Runs {@code action} in a transaction; on a {@link RefusedChange} the transaction rolls back, the refusal's event
     * is published in a new one (so the audit entry is kept), and the refusal is rethrown for the caller's problem answer.
     */
    static <T> T audited(TransactionTemplate transactions, ApplicationEventPublisher events, Function<String, ReleaseEvent> refusalEvent,
            Supplier<T> action) {
        try {
            return transactions.execute(status -> action.get());
        } catch (RefusedChange refused) {
            transactions.executeWithoutResult(status -> events.publishEvent(refusalEvent.apply(refused.code())));
            throw refused;
        }
    }
}
