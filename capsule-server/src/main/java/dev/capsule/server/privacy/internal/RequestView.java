package dev.capsule.server.privacy.internal;

import dev.capsule.server.privacy.PrivacyRequest;
import java.time.Instant;

/**
 * A request as the API and the console show it to operators: no person's id (only the pseudonym), the region whose
 * database holds it, the deadline and whether it is overdue.
 */
record RequestView(String id, String kind, String state, String subject, String region, String filedBy, String receivedAt,
        String dueAt, boolean overdue, String verifiedBy, String verifiedAt, String doneAt, String failure) {

    static RequestView of(RegionalRequest located, Instant now) {
        PrivacyRequest r = located.request();
        return new RequestView(r.id().toString(), r.kind().code(), r.state().code(), r.subjectTag(), located.region().value(),
                r.filedBy().map(o -> "operator:" + o.value()).orElse("the person, in the shell"), r.receivedAt().toString(),
                r.dueAt().toString(), r.overdue(now), r.verifiedBy().map(s -> s.code()).orElse(null),
                r.verifiedAt().map(Instant::toString).orElse(null), r.doneAt().map(Instant::toString).orElse(null),
                r.failure().orElse(null));
    }
}
