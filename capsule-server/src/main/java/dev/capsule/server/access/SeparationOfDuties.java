package dev.capsule.server.access;

import dev.capsule.server.platform.ProblemException;
import java.util.Map;
import java.util.Objects;

/**
 * The two-person rule, reusable by every module: whoever did the first half of a duty (submitted a
 * version, created an API key, requested a role) may not do the second half (approve it).
 *
 * <p>Security guarantees: actors are compared by their {@link Caller#actorId()}, exactly; a refusal
 * is a 403 problem of type {@code separation-of-duties} naming the duty, never a silent no-op. The
 * rule is only as strong as the actor ids: one person with two operator accounts defeats it, which
 * is why operator accounts are personal (docs/rbac.md).
 */
public final class SeparationOfDuties {

    private SeparationOfDuties() {
    }

    /**
     * Refuses when {@code currentActorId} is the actor who did the first half of {@code duty}.
     *
     * @param subjectActorId the actor recorded on the subject (the key's creator, the submitter)
     * @param currentActorId the actor asking to do the second half now
     * @param duty           what is being done, for the client ("approve API key 3f2a...")
     */
    public static void requireDifferentActor(String subjectActorId, String currentActorId, String duty) {
        Objects.requireNonNull(subjectActorId, "subjectActorId");
        Objects.requireNonNull(currentActorId, "currentActorId");
        Objects.requireNonNull(duty, "duty");
        if (subjectActorId.equals(currentActorId)) {
            throw new ProblemException(AccessProblems.SEPARATION_OF_DUTIES,
                    "another person must " + duty + ": you did the first half", Map.of("duty", duty));
        }
    }
}
