package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.platform.RetentionSweep;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the platform's {@link RetentionSweep}s (a purge run that deleted rows, or failed) to the log as
 * {@code retention.sweep} entries.
 *
 * <p>Security guarantees: the entry names the purge, its category, a count and a time, and for a failure the
 * exception's class and SQL state: never a deleted row's content or an exception's message.
 */
@Component
class RetentionSweepAudit {
    private final PendingQueue queue;

    RetentionSweepAudit(PendingQueue queue) {
        this.queue = queue;
    }

    @EventListener
    void on(RetentionSweep sweep) {
        UUID eventId = UUID.randomUUID();
        String detail = "category " + sweep.category().code() + "; deleted " + sweep.deleted() + "; cutoff " + sweep.cutoff()
                + sweep.failure().map(failure -> "; failed: " + failure).orElse("");
        EntryFields fields = new EntryFields(eventId, AuditEventType.RETENTION_SWEEP)
                .outcome(ModuleEventFields.outcome(sweep.outcome()))
                .action(sweep.purge())
                .detail(ModuleEventFields.bounded(detail));
        if (sweep.failure().isPresent()) {
            fields.reason("run-failed");
        }
        queue.add(eventId, fields);
    }
}
