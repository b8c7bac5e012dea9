package dev.capsule.server.access.internal;

import dev.capsule.server.access.Caller;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request authenticated by an API key. It carries no credentials (the token is not kept after the
 * check) and no authorities: what the key may do is its scope, read through {@link Caller#of}.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;

    private final Caller.Machine machine;

    ApiKeyAuthentication(Caller.Machine machine) {
        super(List.of());
        this.machine = machine;
        setAuthenticated(true);
    }

    public Caller.Machine machine() {
        return machine;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return machine;
    }

    @Override
    public String getName() {
        return machine.actorId();
    }
}
