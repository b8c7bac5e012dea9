package dev.capsule.server.host.internal;

import java.security.Principal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The authentication of a shell request: the shell session cookie ({@code __Host-capsule-shell}) checked against
 * the database, holding a {@link ShellPrincipal}. It exists only on {@code /shell/**} requests (including the
 * WebSocket handshake of {@code /shell/ws/**}); controllers and handshake interceptors read it with
 * {@link #principalOf(Principal)}.
 *
 * <p>Security guarantees: it carries the single authority {@value #AUTHORITY}, which no operator or API key holds,
 * so a shell cookie reaches nothing outside {@code /shell/**} and an operator session reaches no shell page;
 * {@link #getCredentials()} is always empty (the cookie's token is never kept in memory after the lookup).
 */
public final class ShellAuthentication extends AbstractAuthenticationToken {
    /** The one authority of an end user in the shell. */
    public static final String AUTHORITY = "SHELL_USER";

    private final ShellPrincipal principal;

    public ShellAuthentication(ShellPrincipal principal) {
        super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
        this.principal = Objects.requireNonNull(principal, "principal");
        setAuthenticated(true);
    }

    /** The shell principal of a request's authenticated principal ({@code request.getUserPrincipal()}), if it is one. */
    public static Optional<ShellPrincipal> principalOf(Principal principal) {
        return principal instanceof ShellAuthentication shell ? Optional.of(shell.principal) : Optional.empty();
    }

    @Override
    public ShellPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getName() {
        // The user id is personal data: the name used in logs is not it.
        return principal.demo() ? "shell-demo-user" : "shell-user";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShellAuthentication that && principal.equals(that.principal);
    }

    @Override
    public int hashCode() {
        return principal.hashCode();
    }

    @Override
    public String toString() {
        return "ShellAuthentication[" + getName() + "]";
    }
}
