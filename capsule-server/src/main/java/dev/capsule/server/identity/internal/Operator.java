package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import dev.capsule.server.access.OperatorId;
import java.util.UUID;

/**
 * An operator row. {@link #toString()} shows no hash or sealed secret.
 *
 * @param passwordHash       Argon2id hash in Spring Security's encoded form
 * @param totpSecretSealed   the enrolled TOTP secret, sealed; null before enrolment
 * @param totpPendingSealed  a secret shown for enrolment but not yet confirmed with a code
 * @param totpLastStep       the last accepted TOTP step, or null
 */
record Operator(UUID id, String username, String passwordHash, Set<Role> roles, boolean mustChangePassword,
        boolean mfaEnrolled, byte[] totpSecretSealed, byte[] totpPendingSealed, Long totpLastStep, boolean disabled,
        Instant createdAt) {

    Operator {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        roles = Set.copyOf(roles);
    }

    /** Onboarding is unfinished: the password must change or no second factor is enrolled. */
    boolean onboardingRequired() {
        return mustChangePassword || !mfaEnrolled;
    }

    OptionalLong lastStep() {
        return totpLastStep == null ? OptionalLong.empty() : OptionalLong.of(totpLastStep);
    }

    @Override
    public String toString() {
        return "Operator[id=" + id + ", username=" + username + ", roles=" + roles + ", mustChangePassword="
                + mustChangePassword + ", mfaEnrolled=" + mfaEnrolled + ", disabled=" + disabled + "]";
    }

    /** The id as other modules know it. */
    OperatorId operatorId() {
        return OperatorId.of(id);
    }
}
