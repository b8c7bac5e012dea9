package dev.capsule.server.keys;

import dev.capsule.core.crypto.VerifyingKey;
import java.time.Instant;
import java.util.Objects;

/**
 * The public half of a platform signing key, as published at the well-known endpoint.
 *
 * <p>Security guarantees: holds no secret; the key is a validated Ed25519 point ({@link VerifyingKey}),
 * and its id is derived from the key itself, so an id can never name a different key.
 *
 * @param key       the Ed25519 public key (its {@link VerifyingKey#keyId()} is the key's id everywhere)
 * @param purpose   what the key signs
 * @param primary   whether new signatures of this purpose are made with it; retired keys stay published
 *                  so that what they signed still verifies
 * @param createdAt when the key was made
 */
public record PlatformPublicKey(VerifyingKey key, SigningPurpose purpose, boolean primary, Instant createdAt) {
    public PlatformPublicKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
