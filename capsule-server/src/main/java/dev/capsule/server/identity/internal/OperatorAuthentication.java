package dev.capsule.server.identity.internal;

import dev.capsule.server.identity.SignedInOperator;
import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request in an operator's session; built from the database on every request, never stored.
 *
 * <p>For the access module: the authorities are {@link #SIGNED_IN} and each role's
 * {@code Role.authority()}, or only {@link #ONBOARDING}; {@link #getName()} is the operator's stable id
 * (a UUID, never the username, which an admin may reuse), so the actor id is {@code operator:<uuid>}.
 */
final class OperatorAuthentication extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;
    /** Every fully signed-in operator has it, whatever the roles. */
    static final String SIGNED_IN = "OPERATOR_SIGNED_IN";
    /** Only this while the password must change or MFA is not enrolled. */
    static final String ONBOARDING = "OPERATOR_ONBOARDING";

    private final SignedInOperator operator;
    private final transient OperatorSessions.Active session;

    OperatorAuthentication(SignedInOperator operator, OperatorSessions.Active session, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.operator = operator;
        this.session = session;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    /** The operator's stable id, not the principal's username: the access module's actor id is built from it. */
    @Override
    public String getName() {
        return operator.id().toString();
    }

    @Override
    public SignedInOperator getPrincipal() {
        return operator;
    }

    OperatorSessions.Active session() {
        return session;
    }
}
