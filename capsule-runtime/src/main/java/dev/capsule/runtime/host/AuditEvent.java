package dev.capsule.runtime.host;

import java.time.Instant;
import java.util.Objects;

/**
 * One security-relevant fact for the audit trail: a sensitive call, a denial or a violation.
 * Carries ids, never personal data or secrets: {@code detail} names hosts, scopes, limits.
 */
public record AuditEvent(Instant at, String appId, String userId, String action, String outcome, String detail) {
    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }
}
