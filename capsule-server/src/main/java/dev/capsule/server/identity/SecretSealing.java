package dev.capsule.server.identity;

/**
 * Seals small secrets that the server must be able to read back (TOTP secrets) with an AEAD under the
 * server's master key. The identity module provides a Tink AES-256-GCM implementation keyed from
 * {@code CAPSULE_MASTER_KEY} or {@code <data-dir>/keys/master.key}; the key management module
 * (issue #6) will provide its own bean of this type.
 *
 * <p>Security guarantees: sealed output is authenticated and bound to {@code context} (associated
 * data: e.g. the operator id and purpose), so a sealed value copied to another row or purpose does
 * not open; {@link #open} throws on any tampering or a wrong key, never returns garbage.
 */
public interface SecretSealing {

    byte[] seal(byte[] plaintext, String context);

    /** @throws IllegalStateException if the value was not sealed by this key for this context */
    byte[] open(byte[] sealed, String context);
}
