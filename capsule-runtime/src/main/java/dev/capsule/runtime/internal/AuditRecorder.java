package dev.capsule.runtime.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.AuditSink;
import java.time.Instant;

/**
 * The one audit recorder of a session, in the host, whichever tier runs its JavaScript: policy
 * denials and decisions ({@link HostSide}), local-API denials and violations (the session in-process,
 * or what the worker reports), and the host's own violations all go through it, under one cap.
 *
 * <p>Security guarantees: a session causes at most {@link #RECORDS_PER_SESSION_MAX} audit records,
 * plus one record saying that it reached the cap, so a guest looping on a denied call (or a
 * compromised worker sending audit frames) cannot flood the audit trail; every field is escaped.
 * What comes after the cap is counted here but not recorded.
 */
final class AuditRecorder implements AuditSink {
    /** Audit records one session may cause in its whole life, in both isolation tiers. */
    static final int RECORDS_PER_SESSION_MAX = 1_000;

    private final AuditSink sink;
    private final String appId;
    private final String userId;
    private long records;

    AuditRecorder(AuditSink sink, String appId, String userId) {
        this.sink = sink;
        this.appId = appId;
        this.userId = userId;
    }

    /** Records one event of this session (its app and user), escaped, unless the session's cap is spent. */
    void record(String action, String outcome, String detail) {
        record(new AuditEvent(Instant.now(), appId, userId, action, outcome, detail));
    }

    /** Records an event built elsewhere (a session's own {@code audit}); the session's app and user are kept as given. */
    @Override
    public void record(AuditEvent event) {
        boolean capReached;
        synchronized (this) {
            long n = ++records;
            if (n > RECORDS_PER_SESSION_MAX) {
                return;
            }
            capReached = n == RECORDS_PER_SESSION_MAX;
        }
        sink.record(new AuditEvent(event.at(), event.appId(), event.userId(), SafeText.escape(event.action()),
                SafeText.escape(event.outcome()), SafeText.escape(event.detail())));
        if (capReached) {
            sink.record(new AuditEvent(Instant.now(), appId, userId, "audit", "capped", "this session reached "
                    + RECORDS_PER_SESSION_MAX + " audit records; later records of it are counted, not recorded"));
        }
    }
}
