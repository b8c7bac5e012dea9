package dev.capsule.core.pkg;

import dev.capsule.core.crypto.VerifyingKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A key a host trusts, and for which role. A role-bound key counts only for signatures in that
 * role; an unbound key counts for any role but can never satisfy a required role, because a
 * signer chooses the role it writes into its own statement.
 */
public record TrustedKey(VerifyingKey key, Optional<Role> role) {
    public TrustedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(role, "role");
    }

    public static TrustedKey anyRole(VerifyingKey key) {
        return new TrustedKey(key, Optional.empty());
    }

    public static TrustedKey forRole(VerifyingKey key, Role role) {
        return new TrustedKey(key, Optional.of(role));
    }

    /** Whether a signature in {@code signed} by this key is one the host trusts. */
    boolean trustedFor(Role signed) {
        return role.isEmpty() || role.get() == signed;
    }

    /** Whether this key was explicitly bound to {@code required}. */
    boolean boundTo(Role required) {
        return role.isPresent() && role.get() == required;
    }
}
