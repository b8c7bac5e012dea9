package dev.capsule.server.audit;

/**
 * Where modules record security events ("every attempt audited"). Today the events go to the
 * append-only {@code security_events} table; issue #6 replaces the storage with a Merkle log behind
 * this same interface.
 *
 * <p>Security guarantees: an event holds only what {@link SecurityEvent} allows (a type, an outcome,
 * pseudonymous operator ids, a reason code, the client address), so it cannot carry a password, code,
 * secret or a username as typed; the store refuses updates and deletes. A failure to record is thrown
 * to the caller, so an action that cannot be audited fails rather than going unrecorded.
 */
public interface AuditTrail {

    /** Appends one event. */
    void record(SecurityEvent event);
}
