package dev.capsule.core.httpsig;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.crypto.VerifyingKey;
import java.util.Objects;

/** RFC 9421 §3.3.6 {@code ed25519}: Ed25519 (RFC 8032) over the signature base, 64-byte signatures. */
public final class Ed25519HttpKey {
    public static final String ALGORITHM = "ed25519";

    private Ed25519HttpKey() {
    }

    /** Signing with core's {@link SigningKey} (its seed stays inside it). */
    public record Signing(SigningKey key) implements HttpSigningKey {
        public Signing {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String algorithm() {
            return ALGORITHM;
        }

        @Override
        public byte[] sign(byte[] signatureBase) {
            return key.sign(signatureBase);
        }
    }

    /** Verifying with core's {@link VerifyingKey}. */
    public record Verifying(VerifyingKey key) implements HttpVerifyingKey {
        public Verifying {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String algorithm() {
            return ALGORITHM;
        }

        @Override
        public boolean verify(byte[] signatureBase, byte[] signature) {
            return signature != null && signature.length == 64 && key.verify(signatureBase, signature);
        }
    }
}
