package dev.capsule.server.audit.internal;

import dev.capsule.server.access.AccessDenied;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes every {@link AccessDenied} to the log as {@code access.deny}: who (operator or API key), what
 * (method and path pattern, the declared permission), why (the problem type), and the client address as
 * a pseudonym.
 *
 * <p>Security guarantees: a flood of denials can neither starve actions of the bounded audit queue nor
 * disappear. While the queue is at most half full ({@link Sequencer#roomForDenials}) each denial is one
 * entry; beyond that, or when the queue refuses, the denial is counted in {@code audit_denial_overflow}
 * (one row per reason, an upsert: the table does not grow with the flood), the metric
 * {@code capsule.audit.denials.summarized} counts it, and within {@link #INTERVAL_MILLIS} of the queue
 * having room again each count becomes one {@code access.deny-summary} entry (reason, count, since when).
 * The refusal itself never depends on the audit: the caller gets its 403 either way. Only when the
 * database itself cannot be written is a denial lost, and then it is logged at ERROR.
 */
@Component
class DenialAudit {
    /** How often counted denials are turned into summary entries when the queue has room. */
    static final long INTERVAL_MILLIS = 10_000;
    /** Longest client address kept (as for security events). */
    static final int ADDRESS_CHARS_MAX = 64;
    private static final Logger log = LoggerFactory.getLogger(DenialAudit.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

    private final PendingQueue queue;
    private final Sequencer sequencer;
    private final PersonalDetails personal;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Counter summarized;

    DenialAudit(PendingQueue queue, Sequencer sequencer, PersonalDetails personal, JdbcClient jdbc, TransactionTemplate transactions,
            MeterRegistry meters) {
        this.queue = queue;
        this.sequencer = sequencer;
        this.personal = personal;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.summarized = Counter.builder("capsule.audit.denials.summarized")
                .description("Denials counted for an access.deny-summary entry instead of one entry each (the audit queue was over half full)")
                .register(meters);
    }

    @EventListener
    void on(AccessDenied denied) {
        if (sequencer.roomForDenials()) {
            try {
                UUID eventId = UUID.randomUUID();
                queue.add(eventId, fields(eventId, denied));
                return;
            } catch (IllegalStateException full) {
                // The queue filled up since the sequencer last measured it: count this one instead.
            }
        }
        count(denied.reason());
    }

    private EntryFields fields(UUID eventId, AccessDenied denied) {
        EntryFields fields = new EntryFields(eventId, AuditEventType.ACCESS_DENY).outcome(SecurityEvent.Outcome.DENIED)
                .actor(denied.operator() == null ? null : denied.operator().value())
                .apiKey(denied.apiKeyId())
                .reason(denied.reason())
                .action(denied.action())
                .permission(denied.permission());
        if (denied.clientAddress() != null) {
            personal.address(fields, eventId, denied.operator() == null ? null : denied.operator().value(),
                    ApiKeyEventAudit.bounded(denied.clientAddress()));
        }
        return fields;
    }

    private void count(String reason) {
        jdbc.sql("""
                INSERT INTO audit_denial_overflow (reason, denials, since) VALUES (:reason, 1, now())
                ON CONFLICT (reason) DO UPDATE SET denials = audit_denial_overflow.denials + 1""")
                .param("reason", reason).update();
        summarized.increment();
    }

    /** Turns counted denials into summary entries, when the queue has room; any node may do it. */
    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void summarize() {
        if (!sequencer.roomForDenials()) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> {
                List<Counted> counted = jdbc.sql("DELETE FROM audit_denial_overflow RETURNING reason, denials, since")
                        .query((rs, n) -> new Counted(rs.getString(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class)))
                        .list();
                for (Counted row : counted) {
                    UUID eventId = UUID.randomUUID();
                    queue.add(eventId, new EntryFields(eventId, AuditEventType.ACCESS_DENY_SUMMARY).outcome(SecurityEvent.Outcome.DENIED)
                            .reason(row.reason())
                            .detail(row.denials() + " denials not recorded one by one since "
                                    + TIME.format(row.since().withOffsetSameInstant(ZoneOffset.UTC))));
                }
            });
        } catch (RuntimeException e) {
            log.warn("could not write the summary of counted denials (will retry): {}", e.getMessage());
        }
    }

    private record Counted(String reason, long denials, OffsetDateTime since) {
    }
}
