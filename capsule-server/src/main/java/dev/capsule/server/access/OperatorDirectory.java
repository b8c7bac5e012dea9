package dev.capsule.server.access;

import java.util.Optional;

/**
 * Names operators on pages that show who did something (the console's API key and organisation pages show
 * actor ids such as {@code operator:<uuid>}). The identity module provides it; the access module cannot ask
 * identity directly, which depends on it.
 *
 * <p>Security guarantees: for display only: every decision (separation of duties, audit) compares ids, never
 * names, because a username may be reused after its operator is gone. Pages print the answer escaped.
 */
public interface OperatorDirectory {

    /** The username of the operator with this id, if there is one. */
    Optional<String> username(OperatorId operator);

    /**
     * An actor id for a page: {@code "alice (operator:<uuid>)"} for an operator that exists, the actor id itself
     * otherwise (an API key, an operator that is gone, anything else).
     */
    default String describe(String actorId) {
        if (actorId == null || !actorId.startsWith(Caller.OPERATOR_PREFIX)) {
            return actorId;
        }
        return OperatorId.fromName(actorId.substring(Caller.OPERATOR_PREFIX.length())).flatMap(this::username)
                .map(name -> name + " (" + actorId + ")").orElse(actorId);
    }
}
