package dev.capsule.server.privacy;

import dev.capsule.server.access.OperatorId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A data-subject request as it stands: received (filed, the requester not yet verified), verified (the host
 * vouched for the requester: they confirmed it signed in to the shell) and done (the export is ready, or the
 * erasure finished and its certificate is in the audit log).
 *
 * @param id          the request
 * @param kind        export (GDPR art. 15 and 20) or erasure (art. 17)
 * @param state       where it stands
 * @param subjectTag  the person as a pseudonym (32 hex characters; the audit log's {@code user} of the shell's events)
 * @param filedBy     the operator who filed it on the person's behalf, or empty when the person filed it in the shell
 * @param receivedAt  when it was filed
 * @param dueAt       when it must be done: {@link #DEADLINE} after it was received
 * @param verifiedBy  how the host vouched for the requester, once verified
 * @param verifiedAt  when
 * @param doneAt      when it was done
 * @param failure     the last failure while carrying it out (a code), until it is done
 */
public record PrivacyRequest(PrivacyRequestId id, RequestKind kind, RequestState state, String subjectTag, Optional<OperatorId> filedBy,
        Instant receivedAt, Instant dueAt, Optional<IdentityAssertion.Source> verifiedBy, Optional<Instant> verifiedAt,
        Optional<Instant> doneAt, Optional<String> failure) {
    /** GDPR art. 12(3): one month; the platform counts 30 days. */
    public static final Duration DEADLINE = Duration.ofDays(30);

    public enum RequestKind {
        EXPORT, ERASURE;

        /** The name in the API and the database. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum RequestState {
        RECEIVED, VERIFIED, DONE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public PrivacyRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(subjectTag, "subjectTag");
        Objects.requireNonNull(filedBy, "filedBy");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(verifiedBy, "verifiedBy");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        Objects.requireNonNull(doneAt, "doneAt");
        Objects.requireNonNull(failure, "failure");
        if (verifiedAt.isPresent() != (state != RequestState.RECEIVED) || doneAt.isPresent() != (state == RequestState.DONE)) {
            throw new IllegalArgumentException("a request's times must match its state");
        }
    }

    /** Whether it is past its deadline and not done. */
    public boolean overdue(Instant now) {
        return state != RequestState.DONE && now.isAfter(dueAt);
    }
}
