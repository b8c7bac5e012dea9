package dev.capsule.server.identity.internal;

import dev.capsule.server.identity.SignedInOperator;
import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/** A request in an operator's session; built from the database on every request, never stored. */
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

    @Override
    public SignedInOperator getPrincipal() {
        return operator;
    }

    OperatorSessions.Active session() {
        return session;
    }
}
