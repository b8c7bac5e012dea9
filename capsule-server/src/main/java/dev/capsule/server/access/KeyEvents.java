package dev.capsule.server.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Where the access module reports every API key event, for the audit log. The audit module
 * implements it as a bean (writing each event to its tamper-evident trail); while none exists, the
 * events go to the log {@code capsule.access.keys}.
 *
 * <p>Lifecycle events ({@link Created}, {@link Approved}, {@link Revoked}) are reported inside the
 * database transaction that makes the change, so an implementation that writes to the same database
 * commits or rolls back with it, and one that throws undoes the change. No event ever holds a secret.
 */
public interface KeyEvents {

    void record(KeyEvent event);

    /** One API key event. */
    sealed interface KeyEvent {
        String keyId();

        Instant at();
    }

    record Created(String keyId, String name, Set<Permission> scope, Instant expiresAt, String actorId, Instant at)
            implements KeyEvent {
        public Created {
            Objects.requireNonNull(keyId, "keyId");
            scope = Set.copyOf(scope);
        }
    }

    record Approved(String keyId, String actorId, Instant at) implements KeyEvent {
    }

    record Revoked(String keyId, String actorId, Instant at) implements KeyEvent {
    }

    /**
     * A request presented this existing key and was refused. Reported outside any transaction; bounded
     * by the per-address rate limit.
     */
    record Refused(String keyId, Refusal reason, String clientAddress, Instant at) implements KeyEvent {
    }

    /** Why a key that exists did not authenticate. The client sees the same 401 for all of them. */
    enum Refusal {
        WRONG_SECRET, NOT_APPROVED, REVOKED, EXPIRED
    }
}
