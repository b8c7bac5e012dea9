package dev.capsule.server.access.internal;

import dev.capsule.server.access.Permission;
import java.time.Instant;
import java.util.List;

/** An API key as the API shows it: everything but the secret and its hash. */
record ApiKeyView(
        String keyId,
        String name,
        List<String> permissions,
        String status,
        RateLimit rateLimit,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        String approvedBy,
        Instant approvedAt,
        String revokedBy,
        Instant revokedAt,
        Instant lastUsedAt,
        String organisation) {

    record RateLimit(int burstRequests, int refillPerMinute) {
    }

    static ApiKeyView of(StoredKey key, Instant now) {
        return new ApiKeyView(key.keyId(), key.name(), key.permissions().stream().map(Permission::code).toList(),
                key.status(now).code(), new RateLimit(key.rateLimit().burstRequests(), key.rateLimit().refillPerMinute()),
                key.createdBy(), key.createdAt(), key.expiresAt(), key.approvedBy(), key.approvedAt(), key.revokedBy(),
                key.revokedAt(), key.lastUsedAt(), key.organisation() == null ? null : key.organisation().toString());
    }
}
