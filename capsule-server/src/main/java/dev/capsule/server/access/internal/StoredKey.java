package dev.capsule.server.access.internal;

import dev.capsule.server.access.OrganisationBinding;
import dev.capsule.server.access.Permission;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An API key row. {@code permissionCodes} are as stored: the code that reads them for authentication
 * refuses the key if any is unknown or operator-only, rather than trusting the database.
 * {@code organisation} is the developer organisation the key acts for, or null (docs/api-keys.md).
 */
record StoredKey(
        String keyId,
        String name,
        byte[] secretSha256,
        List<String> permissionCodes,
        BucketPolicy rateLimit,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        String approvedBy,
        Instant approvedAt,
        String revokedBy,
        Instant revokedAt,
        Instant lastUsedAt,
        OrganisationBinding organisation) {

    StoredKey {
        Objects.requireNonNull(keyId, "keyId");
        permissionCodes = List.copyOf(permissionCodes);
    }

    /** Where a key is in its life. */
    enum Status {
        /** Created, waiting for a second operator's approval; does not authenticate. */
        PENDING,
        ACTIVE,
        REVOKED,
        EXPIRED;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        if (!now.isBefore(expiresAt)) {
            return Status.EXPIRED;
        }
        return approvedAt == null ? Status.PENDING : Status.ACTIVE;
    }

    /** The permissions, in matrix order; unknown codes are left out (see the class comment). */
    List<Permission> permissions() {
        return permissionCodes.stream().map(Permission::fromCode).flatMap(java.util.Optional::stream).sorted().toList();
    }

    @Override
    public String toString() {
        return "StoredKey[keyId=" + keyId + ", name=" + name + ", permissions=" + permissionCodes + "]";
    }
}
