package dev.capsule.server.audit.internal;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.AuditSink;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.keys.Pseudonyms;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The runtime's {@link AuditSink} on the server's log: a mini-program's sensitive calls, denials and
 * violations become entries of type {@code runtime.call} (written as {@code runtime} before the catalogue) with the app id, the API ({@code action}), the
 * runtime's outcome and detail, and the user as a pseudonym ({@link Pseudonyms#tag}), never the user id.
 * The entry's time is the database's at recording (the runtime's clock is not trusted for ordering).
 *
 * <p>Security guarantees: the user id is never stored; texts are bounded ({@link EntryFields#TEXT_CHARS_MAX})
 * and cut rather than refused, so a long detail cannot make an event go unrecorded; a failure to queue is
 * thrown to the runtime's caller.
 */
@Component
class RuntimeAuditSink implements AuditSink {

    private final PendingQueue queue;
    private final Pseudonyms pseudonyms;

    RuntimeAuditSink(PendingQueue queue, Pseudonyms pseudonyms) {
        this.queue = queue;
        this.pseudonyms = pseudonyms;
    }

    @Override
    public void record(AuditEvent event) {
        UUID eventId = UUID.randomUUID();
        queue.add(eventId, new EntryFields(eventId, AuditEventType.RUNTIME_CALL)
                .app(bounded(event.appId()))
                .user(event.userId().isEmpty() ? null : pseudonyms.tag(event.userId()))
                .action(bounded(event.action()))
                .outcome(bounded(event.outcome()))
                .detail(bounded(event.detail())));
    }

    /** Null for empty text; at most {@link EntryFields#TEXT_CHARS_MAX} characters, never a split surrogate pair. */
    static String bounded(String text) {
        if (text.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), EntryFields.TEXT_CHARS_MAX));
        text.codePoints().filter(c -> !Character.isISOControl(c) && !(c >= 0xD800 && c <= 0xDFFF))
                .takeWhile(c -> out.length() + Character.charCount(c) <= EntryFields.TEXT_CHARS_MAX)
                .forEach(out::appendCodePoint);
        return out.isEmpty() ? null : out.toString();
    }
}
