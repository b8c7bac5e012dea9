package dev.capsule.server.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An API key event of the access module, published synchronously through Spring's
 * {@code ApplicationEventPublisher}; the audit module listens and writes each to the log
 * (docs/audit-events.md: {@code api-key.create}, {@code api-key.approve}, {@code api-key.revoke},
 * {@code api-key.authenticate}).
 *
 * <p>Lifecycle events ({@link Created}, {@link Approved}, {@link Revoked}) are published inside the
 * database transaction that makes the change, so a listener that writes to the same database commits
 * or rolls back with it, and one that throws undoes the change.
 *
 * <p>Security guarantees: no event ever holds a secret; a lifecycle event always names the operator who
 * made the change (an {@link OperatorId}, never null), so no key change is recorded without its actor.
 */
public sealed interface ApiKeyEvent {
    String keyId();

    Instant at();

    /** A key was created; {@code organisation} is the developer organisation it is bound to, if any (docs/api-keys.md). */
    record Created(String keyId, String name, Set<Permission> scope, Instant expiresAt, OperatorId actor, Instant at,
                   java.util.Optional<OrganisationBinding> organisation) implements ApiKeyEvent {
        public Created {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(organisation, "organisation");
            scope = Set.copyOf(scope);
        }

        /** A key bound to no organisation. */
        public Created(String keyId, String name, Set<Permission> scope, Instant expiresAt, OperatorId actor, Instant at) {
            this(keyId, name, scope, expiresAt, actor, at, java.util.Optional.empty());
        }
    }

    record Approved(String keyId, OperatorId actor, Instant at) implements ApiKeyEvent {
        public Approved {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(actor, "actor");
        }
    }

    record Revoked(String keyId, OperatorId actor, Instant at) implements ApiKeyEvent {
        public Revoked {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /**
     * A request presented this existing key and was refused. Published outside any transaction; bounded
     * by the per-address rate limit.
     */
    record Refused(String keyId, Refusal reason, String clientAddress, Instant at) implements ApiKeyEvent {
        public Refused {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a key that exists did not authenticate. The client sees the same 401 for all of them. */
    enum Refusal {
        WRONG_SECRET, NOT_APPROVED, REVOKED, EXPIRED;

        /** "wrong-secret", ...: the audit entry's reason. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
