package dev.capsule.server.privacy;

import dev.capsule.server.access.OperatorId;
import java.util.Objects;
import java.util.Optional;

/**
 * Step the privacy module publishes for the audit log (one entry each).
 *
 * @param kind        what happened
 * @param request     the request
 * @param requestKind export or erasure
 * @param subjectTag  the person as a pseudonym (the audit log's {@code user})
 * @param actor       the operator who acted, when it was not the person
 * @param certificate the erasure certificate, for {@link Step#ERASURE_DONE} only
 */
public record PrivacyEvent(Step kind, PrivacyRequestId request, PrivacyRequest.RequestKind requestKind, String subjectTag,
        Optional<OperatorId> actor, Optional<ErasureCertificate> certificate) {
    public enum Step {
        /** A request was filed (by the person in the shell, or by an operator for them). */
        REQUEST_FILE,
        /** The person confirmed a request signed in to the shell: the host vouched for them. */
        REQUEST_VERIFY,
        /** The export was made. */
        EXPORT_DONE,
        /** The erasure finished: the certificate of erasure. */
        ERASURE_DONE,
        /** Carrying a request out failed (it stays verified, to be run again). */
        REQUEST_FAIL
    }

    public PrivacyEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(requestKind, "requestKind");
        Objects.requireNonNull(subjectTag, "subjectTag");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(certificate, "certificate");
        if (certificate.isPresent() != (kind == Step.ERASURE_DONE)) {
            throw new IllegalArgumentException("only an erasure's end carries a certificate");
        }
    }
}
