package dev.capsule.server.audit;

/**
 * Where modules record security events ("every attempt audited"). Events go to the Merkle audit log
 * (RFC 9162 tree in PostgreSQL, signed checkpoints; docs/audit.md): {@link #record} queues the event in
 * the caller's transaction, and the log's sequencer appends it within a fraction of a second.
 *
 * <p>Security guarantees: an event holds only what {@link SecurityEvent} allows (a type, an outcome,
 * pseudonymous operator ids, a reason code, an API key's public id, the client address), so it cannot
 * carry a password, code, secret or a username as typed; the client address is stored only as a keyed
 * pseudonym and sealed under the data key of the operator concerned, so erasing that operator leaves
 * the log verifiable and the address unreadable. The tables refuse updates and deletes; any change to a
 * stored entry, hash or checkpoint is detected by {@code capsule audit verify}. A failure to record is
 * thrown to the caller, and the event commits or rolls back with the caller's transaction, so an action
 * that cannot be audited fails rather than going unrecorded.
 */
public interface AuditTrail {

    /** Appends one event. */
    void record(SecurityEvent event);
}
