package dev.capsule.runtime.host;

/**
 * Where the runtime writes its audit trail. The platform server plugs in its tamper-evident log;
 * embedded hosts can log or forward. Called on session threads; must be thread-safe and fast.
 */
@FunctionalInterface
public interface AuditSink {
    void record(AuditEvent event);

    /** Discards events: for tests that do not look at the audit trail. */
    AuditSink NONE = event -> {};
}
