package dev.capsule.server.access;

/**
 * Answers whether an {@link OrganisationBinding} names a registered developer organisation, so an API key
 * is never bound to an organisation that does not exist. The registry module provides it.
 *
 * <p>Security guarantees: without a bean of this type the access module refuses every bound key
 * (fail closed), it never binds blindly, and never lets a bound key act (it cannot tell whether its
 * organisation is suspended).
 */
public interface OrganisationDirectory {
    boolean isRegistered(OrganisationBinding organisation);

    /**
     * Whether the organisation is suspended now (read from the database on every call, so a suspension holds on every
     * node at once); the access module refuses every API key bound to a suspended organisation with
     * {@link AccessProblems#ORGANISATION_SUSPENDED}.
     */
    boolean isSuspended(OrganisationBinding organisation);

    /** A registered organisation as the console's key form offers it; the legal name is printed escaped. */
    record Listed(OrganisationBinding binding, String legalName) {
        public Listed {
            java.util.Objects.requireNonNull(binding, "binding");
            java.util.Objects.requireNonNull(legalName, "legalName");
        }
    }

    /** The registered organisations (bounded by the registry's list limit), for choosing a key's binding. */
    java.util.List<Listed> registered();
}
