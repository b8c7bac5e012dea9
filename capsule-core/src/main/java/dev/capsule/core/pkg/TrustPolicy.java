package dev.capsule.core.pkg;

import dev.capsule.core.crypto.KeyId;
import dev.capsule.core.crypto.VerifyingKey;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which keys a host trusts to sign packages, whether it demands a signature in a given role (for
 * example a platform countersignature), and the size limits it applies.
 */
public record TrustPolicy(Map<KeyId, VerifyingKey> trustedKeys, Optional<Role> requiredRole, PackageLimits limits) {
    public TrustPolicy {
        trustedKeys = Map.copyOf(trustedKeys);
        Objects.requireNonNull(requiredRole, "requiredRole");
        Objects.requireNonNull(limits, "limits");
        if (trustedKeys.isEmpty()) {
            throw new IllegalArgumentException("a trust policy needs at least one trusted key");
        }
    }

    /** Trust {@code keys}, any role, default limits. */
    public static TrustPolicy trusting(Collection<VerifyingKey> keys) {
        return new TrustPolicy(keys.stream().collect(Collectors.toMap(VerifyingKey::keyId, Function.identity(), (a, b) -> a)),
                Optional.empty(), PackageLimits.DEFAULTS);
    }

    /** The same policy, also demanding a valid signature in {@code role} by a trusted key. */
    public TrustPolicy requiring(Role role) {
        return new TrustPolicy(trustedKeys, Optional.of(role), limits);
    }
}
