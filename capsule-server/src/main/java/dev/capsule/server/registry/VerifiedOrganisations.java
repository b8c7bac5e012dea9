package dev.capsule.server.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Read access to verified developer organisations, for modules that trust an organisation's name and ownership of
 * mini-programs (the payments module registers merchants for them and shows the verified name on the payment sheet).
 *
 * <p>Security guarantees: only an organisation an operator verified is answered (an unknown and an unverified
 * organisation both answer empty); {@link VerifiedOrganisation#apps()} are exactly the mini-program ids registered to
 * it in the registry (an id belongs to one organisation for good), read at the time of the call (nothing cached).
 */
public interface VerifiedOrganisations {

    /** The organisation if it exists and is verified; empty otherwise. */
    Optional<VerifiedOrganisation> verified(OrganisationId id);

    /** The verified organisations, oldest first, at most the registry's listing limit (500). */
    List<VerifiedOrganisation> allVerified();

    /**
     * A verified organisation.
     *
     * @param verifiedName its legal name as registered and verified by an operator (one line)
     * @param apps         the mini-program ids registered to it
     */
    record VerifiedOrganisation(OrganisationId id, String verifiedName, Set<MiniProgramId> apps) {
        public VerifiedOrganisation {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(verifiedName, "verifiedName");
            apps = Set.copyOf(apps);
        }
    }
}
