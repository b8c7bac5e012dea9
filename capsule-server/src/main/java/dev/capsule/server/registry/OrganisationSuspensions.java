package dev.capsule.server.registry;

import dev.capsule.server.access.AccessProblems;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Suspending a developer organisation during an incident, and lifting the suspension (the incidents module's runbook
 * calls this; the organisation's console page shows the state). A suspended organisation's API keys are refused by the
 * access module and its members' uploads by the registry, both with {@link AccessProblems#ORGANISATION_SUSPENDED}.
 * A suspension does not stop what is released: the releases module's kill switch does that.
 *
 * <p>Security guarantees: the acting operator is the current request's signed-in operator (never an API key); both
 * steps, and their refusals, are audited ({@code organisation.suspend}, {@code organisation.lift-suspension}); the
 * state is read from the database on every check, so it holds on every node at once; the reason is one line of at
 * most {@link #REASON_CHARS_MAX} characters, kept in the registry's table and never written to the audit log.
 */
public interface OrganisationSuspensions {
    /** A suspension's reason: one line an operator writes. */
    int REASON_CHARS_MAX = 500;

    /** Suspends the organisation; refused (409 {@code suspension-state}) when it is suspended already. */
    Suspension suspend(OrganisationId organisation, String reason);

    /** Lifts the organisation's suspension; refused (409 {@code suspension-state}) when it is not suspended. */
    void lift(OrganisationId organisation);

    /** The organisation's suspension now, if it is suspended. */
    Optional<Suspension> suspension(OrganisationId organisation);

    /** The registered organisations with whether each is suspended, oldest first (the registry's list limit, 500). */
    List<Standing> standings();

    /**
     * A suspension in force.
     *
     * @param suspendedBy the access module's actor id of the operator who suspended it
     */
    record Suspension(OrganisationId organisation, String reason, String suspendedBy, Instant suspendedAt) {
        public Suspension {
            Objects.requireNonNull(organisation, "organisation");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(suspendedBy, "suspendedBy");
            Objects.requireNonNull(suspendedAt, "suspendedAt");
        }
    }

    /** An organisation as a form lists it. */
    record Standing(OrganisationId organisation, String legalName, boolean suspended) {
        public Standing {
            Objects.requireNonNull(organisation, "organisation");
            Objects.requireNonNull(legalName, "legalName");
        }
    }
}
