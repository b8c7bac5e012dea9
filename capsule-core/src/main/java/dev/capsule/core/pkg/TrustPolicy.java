package dev.capsule.core.pkg;

import dev.capsule.core.crypto.KeyId;
import dev.capsule.core.crypto.VerifyingKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which keys a host trusts (each for one role or any), whether it demands a signature in a given
 * role (for example the platform's countersignature), and the size limits it applies.
 *
 * <p>Security guarantees: a required role is satisfied only by a key explicitly bound to that role
 * ({@link TrustedKey#forRole}); construction fails if no such key is present, so "require a platform
 * signature" can never be met by a developer who writes "platform" into a statement. Each key is
 * bound to the app ids it may sign ({@link TrustedKey#appIds()}), so with several developers trusted
 * none can claim another's app id, and with it that app's storage and consent records.
 */
public record TrustPolicy(Map<KeyId, TrustedKey> trustedKeys, Optional<Role> requiredRole, PackageLimits limits) {
    public TrustPolicy {
        trustedKeys = Map.copyOf(trustedKeys);
        Objects.requireNonNull(requiredRole, "requiredRole");
        Objects.requireNonNull(limits, "limits");
        if (trustedKeys.isEmpty()) {
            throw new IllegalArgumentException("a trust policy needs at least one trusted key");
        }
        trustedKeys.forEach((id, trusted) -> {
            if (!id.equals(trusted.key().keyId())) {
                throw new IllegalArgumentException("trusted key map entry " + id + " holds key " + trusted.key().keyId());
            }
        });
        if (requiredRole.isPresent() && trustedKeys.values().stream().noneMatch(k -> k.boundTo(requiredRole.get()))) {
            throw new IllegalArgumentException("requiring a " + requiredRole.get().id() + " signature needs a key trusted for that role");
        }
    }

    /** Trust {@code keys} in their roles, no required role, default limits. */
    public static TrustPolicy of(Collection<TrustedKey> keys) {
        Map<KeyId, TrustedKey> map = new LinkedHashMap<>();
        for (TrustedKey k : keys) {
            TrustedKey previous = map.putIfAbsent(k.key().keyId(), k);
            if (previous != null && !previous.equals(k)) {
                throw new IllegalArgumentException("key " + k.key().keyId().shortForm() + " is listed twice with different roles or app ids");
            }
        }
        return new TrustPolicy(map, Optional.empty(), PackageLimits.DEFAULTS);
    }

    /**
     * Trust {@code keys} for any role and every app id ({@link AppIdPattern#ANY}), default limits:
     * for tests, benchmarks and single-developer hosts; the name says what it gives away.
     */
    public static TrustPolicy trustingForEveryAppId(Collection<VerifyingKey> keys) {
        return of(keys.stream().map(k -> TrustedKey.anyRole(k, java.util.List.of(AppIdPattern.ANY))).toList());
    }

    /** The same policy, also demanding a valid signature in {@code role} by a key bound to that role. */
    public TrustPolicy requiring(Role role) {
        return new TrustPolicy(trustedKeys, Optional.of(role), limits);
    }

    /** The same policy with other (lower) limits. */
    public TrustPolicy withLimits(PackageLimits newLimits) {
        return new TrustPolicy(trustedKeys, requiredRole, newLimits);
    }
}
