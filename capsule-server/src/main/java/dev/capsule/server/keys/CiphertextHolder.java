package dev.capsule.server.keys;

/**
 * A module whose tables hold values sealed by {@link FieldEncryption}: rotation asks each holder of a
 * purpose to re-encrypt, in bounded batches, the values still made under the old key, and retires
 * that key only once every holder counts none left. Register an implementation as a Spring bean.
 *
 * <p>Security guarantees expected of an implementation: it re-encrypts with
 * {@link FieldEncryption#reseal} at the value's own {@link FieldPlace}, never decrypting to store
 * plaintext; it changes a row only if the value is still the one it read (a concurrent write wins),
 * so a batch never loses a newer value.
 */
public interface CiphertextHolder {

    /** The purpose whose keys seal this holder's values. */
    DataPurpose purpose();

    /** A short name for progress reports and logs ("identity.operators.totp"). */
    String name();

    /** How many stored values were made under the key {@code keyId} (their first bytes are {@link FieldEncryption#prefixOf}). */
    long countUnder(int keyId);

    /**
     * Re-encrypts at most {@code batchSize} values made under {@code keyId} with the current primary key,
     * each in its place; returns how many it changed (0 when none are left).
     */
    int resealBatch(int keyId, int batchSize);
}
