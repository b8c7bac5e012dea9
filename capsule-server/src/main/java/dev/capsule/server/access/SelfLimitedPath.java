package dev.capsule.server.access;

/**
 * Requests under {@code prefix} are authenticated by another module, which rate-limits them itself through
 * {@link CallerRateLimits}: the access module's gate does not charge them to the client address. A bean of this type is
 * the declaration (the payments module declares {@code /merchant/v1/}).
 *
 * <p>Security guarantees: only a prefix of at least two path segments ending in {@code /} can be declared, never the
 * API's or the console's root, so no module can exempt the rest of the server from the address limit.
 */
public record SelfLimitedPath(String prefix) {
    public SelfLimitedPath {
        if (prefix == null || !prefix.matches("/[a-z0-9-]+/[a-z0-9-]+/") || prefix.startsWith("/api/") || prefix.startsWith("/console/")
                || prefix.startsWith("/shell/")) {
            throw new IllegalArgumentException("a self-limited path is a two-segment prefix such as /merchant/v1/, outside /api/, /console/ and /shell/");
        }
    }
}
