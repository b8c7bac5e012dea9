package dev.capsule.server.keys;

import java.util.Optional;
import java.util.UUID;

/**
 * Per-subject data keys: personal data about one data subject (an end user or an operator) is
 * encrypted under that subject's own key, so erasing the subject is destroying one key
 * (crypto-shredding), even where the ciphertext lives on in backups or the append-only audit log.
 *
 * <p>Security guarantees: a subject's data key exists only wrapped under the subject-data keyset, which
 * is wrapped under the key-encryption key; its bytes never leave the keys module. Ciphertexts carry
 * the id of the key that made them and are bound to their {@link FieldPlace}. After {@link #erase}
 * the key's wrapped bytes are deleted from the database, so no key held by the platform can open what
 * was sealed for the subject; {@link #open} then says so rather than failing like tampering does.
 */
public interface SubjectKeys {

    /** Encrypts {@code plaintext} for {@code subject} at {@code place}, creating the subject's key on first use. */
    byte[] seal(UUID subject, byte[] plaintext, FieldPlace place);

    /**
     * Decrypts a value sealed for {@code subject} at {@code place}; empty if the subject was erased.
     *
     * @throws SealedValueException if the value was altered, belongs to another subject or place, or
     *                              was never sealed by this platform (all look alike)
     */
    Optional<byte[]> open(UUID subject, byte[] sealed, FieldPlace place);

    /** Destroys the subject's data key (idempotent); audited. Nothing sealed for the subject opens afterwards. */
    void erase(UUID subject);
}
