package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import java.util.Objects;

/**
 * A merchant's active signing key. The key pins its algorithm: a signature is checked only with this algorithm,
 * whatever the message's {@code alg} parameter or {@code signType} says (a mismatch is refused, never followed).
 */
public sealed interface MerchantKey {
    MerchantKeyId id();

    MerchantId merchant();

    /** Where an HMAC key's secret is sealed ({@code merchant-secrets}; the place is the associated data). */
    static FieldPlace secretPlace(MerchantKeyId key) {
        return new FieldPlace("platform", "payments_merchant_key", key.value(), "secret");
    }

    /** RFC 9421's algorithm name: {@code ed25519} or {@code hmac-sha256}. */
    String algorithm();

    /** The merchant holds the private key; the platform has the 32-byte raw RFC 8032 public key. */
    record Ed25519(MerchantKeyId id, MerchantId merchant, byte[] publicKey) implements MerchantKey {
        public Ed25519 {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(merchant, "merchant");
            if (publicKey == null || publicKey.length != 32) {
                throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
            }
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public String algorithm() {
            return "ed25519";
        }
    }

    /** A shared secret the platform generated and showed the merchant once; stored sealed. */
    record HmacSha256(MerchantKeyId id, MerchantId merchant, MerchantSecret secret) implements MerchantKey {
        public HmacSha256 {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(merchant, "merchant");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String algorithm() {
            return "hmac-sha256";
        }
    }
}
