package dev.capsule.server.identity;

import dev.capsule.server.access.Role;
import java.security.Principal;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The principal of a request made in an operator's session: other modules get it from
 * {@code Authentication.getPrincipal()} and record {@link #id()} (pseudonymous) in audit events.
 * Roles are read from the database on every request, so a role change applies at once.
 *
 * @param id       stable operator id
 * @param username sign-in name
 * @param roles    current roles (empty while onboarding is unfinished: such a session holds no role)
 */
public record SignedInOperator(UUID id, String username, Set<Role> roles) implements Principal {
    public SignedInOperator {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
    }

    @Override
    public String getName() {
        return username;
    }
}
