package dev.capsule.server.registry.internal;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.server.registry.OrganisationId;
import java.time.Instant;
import java.util.Objects;

/** An organisation's Ed25519 package-signing public key (V50); revoked keys stay for the record. */
record DeveloperKey(VerifyingKey key, OrganisationId organisation, String addedBy, Instant addedAt, String revokedBy,
                    Instant revokedAt) {
    DeveloperKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(organisation, "organisation");
    }

    String keyId() {
        return key.keyId().hex();
    }

    boolean revoked() {
        return revokedAt != null;
    }
}
