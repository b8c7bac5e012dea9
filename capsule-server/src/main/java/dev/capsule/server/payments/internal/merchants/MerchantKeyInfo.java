package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.payments.MerchantKeyId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A merchant key as operators see it: never the secret of an HMAC key (that is shown once, at generation).
 *
 * @param publicKey the raw 32-byte Ed25519 public key, empty for an HMAC key
 */
record MerchantKeyInfo(MerchantKeyId id, String algorithm, Optional<byte[]> publicKey, String addedBy, Instant addedAt,
                       Optional<String> revokedBy, Optional<Instant> revokedAt) {
    MerchantKeyInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(algorithm, "algorithm");
        publicKey = publicKey.map(byte[]::clone);
        Objects.requireNonNull(addedBy, "addedBy");
        Objects.requireNonNull(addedAt, "addedAt");
        Objects.requireNonNull(revokedBy, "revokedBy");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    boolean revoked() {
        return revokedAt.isPresent();
    }
}
