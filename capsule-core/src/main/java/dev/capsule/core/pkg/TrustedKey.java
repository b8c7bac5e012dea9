package dev.capsule.core.pkg;

import dev.capsule.core.crypto.VerifyingKey;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A key a host trusts, for which role, and for which app ids. A role-bound key counts only for
 * signatures in that role; an unbound key counts for any role but can never satisfy a required
 * role, because a signer chooses the role it writes into its own statement.
 *
 * <p>Every trusted key is bound to the app ids it may sign ({@link AppIdPattern}); a signature by it
 * on a package whose capsule.json id none of its patterns matches rejects the package
 * ({@link Reason#APP_ID_NOT_ALLOWED}). There is no silent default for a key that may sign as
 * developer: the host states the ids, or {@link AppIdPattern#ANY} explicitly. A platform-only key
 * ({@link #platform}) defaults to every id, because the platform is the authority that assigns app
 * ids to developers; it may be narrowed like any other key.
 *
 * <p>Security guarantees: {@link #mayClaim} is true only for an app id one of the bound patterns
 * matches; {@code *} cannot be combined with other patterns (it would make them meaningless).
 */
public record TrustedKey(VerifyingKey key, Optional<Role> role, List<AppIdPattern> appIds) {
    public TrustedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(role, "role");
        appIds = List.copyOf(appIds.stream().distinct().toList());
        if (appIds.isEmpty()) {
            throw new IllegalArgumentException("key " + key.keyId().shortForm()
                    + " is bound to no app id: name the ids it may sign (com.example.todo, com.example.*) or * for every id");
        }
        if (appIds.size() > 1 && appIds.contains(AppIdPattern.ANY)) {
            throw new IllegalArgumentException("key " + key.keyId().shortForm() + ": '*' already allows every app id; do not combine it with other patterns");
        }
    }

    /** A key trusted for any role, signing only the given app ids. */
    public static TrustedKey anyRole(VerifyingKey key, Collection<AppIdPattern> appIds) {
        return new TrustedKey(key, Optional.empty(), List.copyOf(appIds));
    }

    /** A key trusted only for {@code role}, signing only the given app ids. */
    public static TrustedKey forRole(VerifyingKey key, Role role, Collection<AppIdPattern> appIds) {
        return new TrustedKey(key, Optional.of(role), List.copyOf(appIds));
    }

    /** A platform key: trusted only for the platform role, for every app id (see class comment). */
    public static TrustedKey platform(VerifyingKey key) {
        return forRole(key, Role.PLATFORM, List.of(AppIdPattern.ANY));
    }

    /** Whether a signature in {@code signed} by this key is one the host trusts. */
    boolean trustedFor(Role signed) {
        return role.isEmpty() || role.get() == signed;
    }

    /** Whether this key was explicitly bound to {@code required}. */
    boolean boundTo(Role required) {
        return role.isPresent() && role.get() == required;
    }

    /** Whether this key may sign a package claiming {@code appId}. */
    public boolean mayClaim(String appId) {
        return appIds.stream().anyMatch(p -> p.matches(appId));
    }
}
