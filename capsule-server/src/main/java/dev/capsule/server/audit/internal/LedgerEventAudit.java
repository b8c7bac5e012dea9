package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.ledger.LedgerEvent;
import java.util.UUID;
import java.util.regex.Pattern;
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
    private static final Pattern OPERATOR = Pattern.compile("operator:([0-9a-f-]{36})");

    private final PendingQueue queue;

    LedgerEventAudit(PendingQueue queue) {
        this.queue = queue;
    }

    @EventListener
    void on(LedgerEvent event) {
        UUID eventId = UUID.randomUUID();
        String detail = event.detail().replaceAll("\\p{Cntrl}", " ");
        EntryFields fields = new EntryFields(eventId, switch (event.kind()) {
            case STATEMENT -> AuditEventType.LEDGER_STATEMENT;
            case VERIFY -> AuditEventType.LEDGER_VERIFY;
        }).outcome("success".equals(event.outcome()) ? SecurityEvent.Outcome.SUCCESS : SecurityEvent.Outcome.FAILURE)
                .detail(detail.isEmpty() ? null
                        : detail.length() <= EntryFields.TEXT_CHARS_MAX ? detail : detail.substring(0, EntryFields.TEXT_CHARS_MAX));
        event.actor().map(OPERATOR::matcher).filter(java.util.regex.Matcher::matches)
                .ifPresent(operator -> fields.actor(UUID.fromString(operator.group(1))));
        queue.add(eventId, fields);
    }
}
