package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.ledger.LedgerEvent;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the ledger module's {@link LedgerEvent}s (the daily balance statement, invariant checks) to the log.
 *
 * <p>Security guarantees: the detail is the ledger's own fixed-format text (counts, totals, a digest), cut to the
 * entry's bound, never a person's data; the actor is an operator's id or nothing.
 */
@Component
class LedgerEventAudit {
    private final PendingQueue queue;

    LedgerEventAudit(PendingQueue queue) {
        this.queue = queue;
    }

    @EventListener
    void on(LedgerEvent event) {
        UUID eventId = UUID.randomUUID();
        EntryFields fields = new EntryFields(eventId, switch (event.kind()) {
            case STATEMENT -> AuditEventType.LEDGER_STATEMENT;
            case VERIFY -> AuditEventType.LEDGER_VERIFY;
        }).outcome(ModuleEventFields.outcome(event.outcome()))
                .detail(ModuleEventFields.bounded(event.detail()));
        ModuleEventFields.actor(fields, event.actor());
        queue.add(eventId, fields);
    }
}
