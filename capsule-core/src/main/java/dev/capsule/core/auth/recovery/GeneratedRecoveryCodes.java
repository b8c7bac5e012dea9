package dev.capsule.core.auth.recovery;

import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.core.crypto.Sha256;
import java.util.List;
import java.util.Objects;

/**
 * A fresh set of recovery codes: the plaintext codes to show the operator once, and the hashes to store.
 *
 * <p>Security guarantees: the plaintext codes are reachable only through {@link #codes(SecretAccess)};
 * {@link #toString()} shows neither codes nor hashes. The caller should drop this object once the codes
 * have been shown and the hashes stored.
 */
public final class GeneratedRecoveryCodes {
    private final List<String> codes;
    private final List<Sha256> hashes;

    GeneratedRecoveryCodes(List<String> codes, List<Sha256> hashes) {
        this.codes = List.copyOf(codes);
        this.hashes = List.copyOf(hashes);
    }

    /** The codes as the operator should see them ({@code XXXX-XXXX-XXXX-XXXX}), in the order of {@link #hashes()}. */
    public List<String> codes(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        return codes;
    }

    /** The hashes to store, one per code; {@link RecoveryCodes#verify} takes the unused ones back. */
    public List<Sha256> hashes() {
        return hashes;
    }

    @Override
    public String toString() {
        return "GeneratedRecoveryCodes[" + codes.size() + " codes, redacted]";
    }
}
