package dev.capsule.server.audit;

import dev.capsule.server.access.OperatorId;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A step of an incident's own lifecycle (opened, contained, closed, a note added; or such a step refused), the
 * incidents module's event record, published synchronously through Spring's {@code ApplicationEventPublisher} in the
 * step's transaction; the audit module writes it to the log as the catalogue type of its {@link IncidentStep}. It lives
 * here, like identity's {@link SecurityEvent}, because the incidents module reads the audit log (its timeline) and so
 * the audit module cannot depend on it. The runbook operations themselves are audited by their own modules' events,
 * tied to the incident by {@link AuditCorrelation}.
 *
 * <p>Security guarantees: an event holds the incident's id, the operator's id, the severity or state as a code and a
 * refusal code; never the title or the notes an operator typed (they stay in the incidents tables).
 *
 * @param step     what happened
 * @param incident the incident's id
 * @param actor    the operator who did it
 * @param detail   a short code: the severity when opened, the state reached; or null
 * @param refusal  null when it happened, else the lower-case code of why it was refused
 */
public record IncidentEvent(IncidentStep step, UUID incident, OperatorId actor, String detail, String refusal) {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    /** The incident steps the log records. */
    public enum IncidentStep {
        OPEN(AuditEventType.INCIDENT_OPEN), CONTAIN(AuditEventType.INCIDENT_CONTAIN), CLOSE(AuditEventType.INCIDENT_CLOSE),
        NOTE(AuditEventType.INCIDENT_NOTE);

        private final AuditEventType type;

        IncidentStep(AuditEventType type) {
            this.type = type;
        }

        public AuditEventType type() {
            return type;
        }
    }

    public IncidentEvent {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(incident, "incident");
        Objects.requireNonNull(actor, "actor");
        if (detail != null && !CODE.matcher(detail).matches()) {
            throw new IllegalArgumentException("an incident event's detail is a lower-case code");
        }
        if (refusal != null && !CODE.matcher(refusal).matches()) {
            throw new IllegalArgumentException("a refusal is a lower-case code");
        }
    }

    public boolean refused() {
        return refusal != null;
    }
}
