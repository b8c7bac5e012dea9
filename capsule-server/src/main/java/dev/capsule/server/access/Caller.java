package dev.capsule.server.access;

import dev.capsule.server.access.internal.ApiKeyAuthentication;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is making the current request, as far as access control is concerned: an operator (a person,
 * signed in by the identity module, holding roles) or a machine (a host application calling with an
 * API key, holding the key's scope).
 *
 * <p>Security guarantees: an operator's permissions come only from the matrix in {@link Permission}
 * for the roles among its {@link Role#authority()} authorities (other authorities grant nothing); a
 * machine's come only from its key's scope, which never holds an operator-only permission.
 */
public sealed interface Caller {

    /** What an operator's actor id starts with; the rest is {@code Authentication.getName()} (identity: the operator's UUID). */
    String OPERATOR_PREFIX = "operator:";

    /** A stable id of the actor for audit and separation of duties: "operator:NAME" or "apikey:KEYID". */
    String actorId();

    Set<Permission> permissions();

    default boolean holds(Permission permission) {
        return permissions().contains(permission);
    }

    /** A person, with the roles the identity module authenticated. */
    record Operator(String name, Set<Role> roles) implements Caller {
        public Operator {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("an operator needs a name");
            }
            roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        }

        /** The actor id of the operator named {@code name} (for comparing with a recorded actor). */
        public static String actorIdOf(String name) {
            return OPERATOR_PREFIX + name;
        }

        /** The operator's stable id, when the authentication is the identity module's session (its name is the id). */
        public Optional<OperatorId> operatorId() {
            return OperatorId.fromName(name);
        }

        /** The actor id of the operator {@code id}. */
        public static String actorIdOf(OperatorId id) {
            return actorIdOf(id.toString());
        }

        @Override
        public String actorId() {
            return actorIdOf(name);
        }

        @Override
        public Set<Permission> permissions() {
            EnumSet<Permission> held = EnumSet.noneOf(Permission.class);
            roles.forEach(role -> held.addAll(Permission.of(role)));
            return held;
        }
    }

    /**
     * A host application authenticated by an API key; holds exactly the key's scope. A key made for a
     * developer organisation carries its {@link OrganisationBinding}: the registry lets it act for that
     * organisation's mini-programs only.
     */
    record Machine(String keyId, String keyName, Set<Permission> scope, Optional<OrganisationBinding> organisation)
            implements Caller {
        public Machine {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(keyName, "keyName");
            Objects.requireNonNull(organisation, "organisation");
            if (scope.isEmpty()) {
                throw new IllegalArgumentException("an API key's scope holds at least one permission");
            }
            for (Permission permission : scope) {
                if (!permission.machineGrantable()) {
                    throw new IllegalArgumentException("an API key may not hold " + permission.code());
                }
            }
            scope = Collections.unmodifiableSet(EnumSet.copyOf(scope));
        }

        /** A key bound to no organisation. */
        public Machine(String keyId, String keyName, Set<Permission> scope) {
            this(keyId, keyName, scope, Optional.empty());
        }

        @Override
        public String actorId() {
            return "apikey:" + keyId;
        }

        @Override
        public Set<Permission> permissions() {
            return scope;
        }
    }

    /** The caller an authentication stands for; empty when there is none or it is anonymous. */
    static Optional<Caller> of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        if (authentication instanceof ApiKeyAuthentication key) {
            return Optional.of(key.machine());
        }
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            for (Role role : Role.values()) {
                if (role.authority().equals(authority.getAuthority())) {
                    roles.add(role);
                }
            }
        }
        return Optional.of(new Operator(authentication.getName(), roles));
    }

    /** The caller of the current request; a 401 problem when the request is not authenticated. */
    static Caller current() {
        return of(SecurityContextHolder.getContext().getAuthentication()).orElseThrow(() ->
                new ProblemException(ProblemType.UNAUTHENTICATED, "this request needs an authenticated caller"));
    }
}
