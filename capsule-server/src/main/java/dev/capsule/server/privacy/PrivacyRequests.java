package dev.capsule.server.privacy;

import java.util.List;
import java.util.Optional;

/**
 * Data-subject requests for the person themself, through the host's shell: the host calls these only for the user
 * signed in to the shell, and passes its {@link IdentityAssertion} of who they are.
 *
 * <p>Security guarantees: a request is found only under the pseudonym of the {@link DataSubject} given, so one person
 * can neither see nor confirm another's; a request the person files is verified at once by the assertion and carried
 * out before this returns; an export opens only under the person's own data-subject key and only for them; every
 * filing, verification, export and erasure is audited. A person's requests and exports are written and looked for only
 * in the database of their region ({@link SubjectPlacements}; the home region's for a person never placed), and a region
 * the installation does not have is refused ({@code ProblemType.RESIDENCY}), never replaced by the home database.
 */
public interface PrivacyRequests {
    /** Most requests listed for one person. */
    int LISTED_MAX = 50;

    /** Files a request as {@code subject}, verified by {@code assertion}, and carries it out. */
    PrivacyRequest file(DataSubject subject, PrivacyRequest.RequestKind kind, IdentityAssertion assertion);

    /** The person's requests, newest first, at most {@link #LISTED_MAX}. */
    List<PrivacyRequest> of(DataSubject subject);

    /**
     * Confirms a request an operator filed for {@code subject} and carries it out; a request that is not theirs, or
     * not waiting for confirmation, is empty.
     */
    Optional<PrivacyRequest> confirm(PrivacyRequestId id, DataSubject subject, IdentityAssertion assertion);

    /** The export of a done export request of {@code subject}, while it is kept; empty otherwise. */
    Optional<PrivacyExport> export(PrivacyRequestId id, DataSubject subject);
}
