package dev.capsule.core.crypto;

import java.util.regex.Pattern;

/**
 * The id of a public key: lower-case hex SHA-256 of its DER SubjectPublicKeyInfo encoding.
 *
 * <p>Anyone can recompute it without Capsule: {@code openssl pkey -pubin -in KEY.pub -outform DER | sha256sum}.
 * A key id names a key; it never proves anything by itself (signature checks use the key, not the id).
 */
public record KeyId(String hex) {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}");

    public KeyId {
        if (hex == null || !FORMAT.matcher(hex).matches()) {
            throw new IllegalArgumentException("a key id is 64 lower-case hex characters");
        }
    }

    /** The first 16 hex characters: enough to tell keys apart on a screen, never used to match keys. */
    public String shortForm() {
        return hex.substring(0, 16);
    }

    @Override
    public String toString() {
        return hex;
    }
}
