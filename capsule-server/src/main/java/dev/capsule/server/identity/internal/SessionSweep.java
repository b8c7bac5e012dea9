package dev.capsule.server.identity.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.identity.OperatorSignOut;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The identity module's {@link OperatorSignOut}: one statement deletes every operator session of {@code spring_session}
 * — signed in (it has a principal) or half-way through sign-in (it has the identity module's stage) — but the current
 * request's (attributes go with it, ON DELETE CASCADE), in one transaction with the audit event. Sessions that are
 * neither (a CSRF token for an anonymous form) are left alone. The table
 * holds only live and recently expired sessions (Spring Session's cleanup job), so the statement is bounded by the
 * number of sessions, which the idle limit keeps small.
 */
@Component
class SessionSweep implements OperatorSignOut {
    private final JdbcClient jdbc;
    private final CurrentOperator current;
    private final ApplicationEventPublisher audit;
    private final TransactionTemplate transactions;

    SessionSweep(JdbcClient jdbc, CurrentOperator current, ApplicationEventPublisher audit, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.current = current;
        this.audit = audit;
        this.transactions = transactions;
    }

    @Override
    public int signOutAllOtherSessions() {
        OperatorAuthentication actor = current.authentication().orElseThrow(() -> new ProblemException(ProblemType.FORBIDDEN,
                "only a signed-in operator can sign every operator out, never an API key"));
        HttpServletRequest request = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
        HttpSession session = request == null ? null : request.getSession(false);
        if (session == null) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only a request made in an operator session can sign every operator out");
        }
        String keep = session.getId();
        String address = request.getRemoteAddr();
        Integer ended = transactions.execute(status -> {
            int deleted = jdbc.sql("DELETE FROM spring_session s WHERE s.session_id <> :keep AND (s.principal_name IS NOT NULL"
                            + " OR EXISTS (SELECT 1 FROM spring_session_attributes a WHERE a.session_primary_id = s.primary_id"
                            + " AND a.attribute_name = :stage))")
                    .param("keep", keep).param("stage", OperatorSessions.STAGE).update();
            OperatorId id = OperatorId.of(actor.getPrincipal().id());
            audit.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_SIGN_OUT_ALL, id, null, address));
            return deleted;
        });
        return ended == null ? 0 : ended;
    }
}
