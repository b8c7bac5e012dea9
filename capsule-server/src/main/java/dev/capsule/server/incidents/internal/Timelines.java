package dev.capsule.server.incidents.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.AuditTimeline;
import dev.capsule.server.incidents.IncidentId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * An incident's timeline, read from the audit log through its public {@link AuditTimeline}: the entries that carry the
 * incident's id (its own steps and every operation taken under it, done or refused) and, from its opening until it
 * closed, the entries of the security-relevant types {@link #SECURITY_TYPES}, oldest first,
 * {@value #PAGE_ENTRIES} per page. Each links to the audit console's entry page, which has its inclusion proof.
 */
@Component
class Timelines {
    /** Entries one timeline page shows. */
    static final int PAGE_ENTRIES = 100;

    /**
     * The types a timeline shows from the incident's window even when they do not carry its id: sign-ins and second
     * factors, operator and role changes, API keys and denials, platform keys, organisations and their signing keys,
     * policy exceptions, revocations and the minimum runtime, merchants' state and keys, detail reveals.
     */
    static final Set<AuditEventType> SECURITY_TYPES = Collections.unmodifiableSet(EnumSet.of(
            AuditEventType.SIGN_IN_PASSWORD, AuditEventType.SIGN_IN_TOTP, AuditEventType.SIGN_IN_RECOVERY_CODE,
            AuditEventType.PASSWORD_CHANGE, AuditEventType.MFA_ENROL, AuditEventType.MFA_STEP_UP, AuditEventType.RECOVERY_CODES_REPLACE,
            AuditEventType.OPERATOR_CREATE, AuditEventType.OPERATOR_ASSIGN_ROLES, AuditEventType.OPERATOR_DISABLE,
            AuditEventType.OPERATOR_ENABLE, AuditEventType.OPERATOR_MFA_RESET, AuditEventType.OPERATOR_PASSWORD_RESET,
            AuditEventType.OPERATOR_SIGN_OUT_ALL,
            AuditEventType.API_KEY_CREATE, AuditEventType.API_KEY_APPROVE, AuditEventType.API_KEY_REVOKE,
            AuditEventType.API_KEY_AUTHENTICATE, AuditEventType.ACCESS_DENY, AuditEventType.ACCESS_DENY_SUMMARY,
            AuditEventType.KEY_CREATE, AuditEventType.KEY_ROTATE, AuditEventType.KEY_RETIRE, AuditEventType.KEY_DESTROY,
            AuditEventType.ORGANISATION_REGISTER, AuditEventType.ORGANISATION_VERIFY, AuditEventType.ORGANISATION_ADD_MEMBER,
            AuditEventType.ORGANISATION_SUSPEND, AuditEventType.ORGANISATION_LIFT_SUSPENSION,
            AuditEventType.DEVELOPER_KEY_ADD, AuditEventType.DEVELOPER_KEY_REVOKE, AuditEventType.PACKAGE_EXCEPTION,
            AuditEventType.RELEASE_REVOKE, AuditEventType.RUNTIME_MINIMUM_SET,
            AuditEventType.MERCHANT_STATE, AuditEventType.MERCHANT_KEY_ADD, AuditEventType.MERCHANT_KEY_REVOKE,
            AuditEventType.AUDIT_REVEAL));

    private final AuditTimeline timeline;

    Timelines(AuditTimeline timeline) {
        this.timeline = timeline;
    }

    /** A page of the incident's timeline from {@code cursor} (empty: from its opening). */
    AuditTimeline.TimelinePage page(Incident incident, java.util.OptionalLong cursor) {
        long from = cursor.isPresent() ? Math.max(cursor.getAsLong(), incident.auditFrom()) : incident.auditFrom();
        return timeline.timeline(incident.id().value(), from, new AuditTimeline.TimeWindow(incident.openedAt(), incident.closedAt()),
                SECURITY_TYPES, PAGE_ENTRIES);
    }

    static java.util.OptionalLong cursor(String text) {
        if (text == null || text.isBlank()) {
            return java.util.OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return java.util.OptionalLong.of(value);
        } catch (NumberFormatException e) {
            throw new dev.capsule.server.platform.ProblemException(dev.capsule.server.platform.ProblemType.VALIDATION,
                    "'after' must be an audit entry index");
        }
    }

    static IncidentId id(String text) {
        return IncidentId.parse(text).orElseThrow(() -> new dev.capsule.server.platform.ProblemException(
                dev.capsule.server.platform.ProblemType.NOT_FOUND, "there is no incident with that id"));
    }
}
