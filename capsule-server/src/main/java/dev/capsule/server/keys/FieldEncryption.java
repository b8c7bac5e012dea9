package dev.capsule.server.keys;

/**
 * Encrypts single fields that the server must read back (an operator's TOTP secret) under a
 * platform data key set.
 *
 * <p>Security guarantees: AES-256-GCM (Tink) with a random 96-bit nonce per value and a 128-bit tag;
 * the {@link FieldPlace} is the associated data, so a ciphertext copied to another tenant, table,
 * row or field does not open; every ciphertext starts with Tink's 5-byte prefix naming the key that
 * made it ({@link #keyIdOf}), which is how rotation finds what to re-encrypt. Key bytes never leave
 * the keys module. {@link #open} fails the same way for tampering, a wrong place and a foreign key.
 */
public interface FieldEncryption {
    /** Largest plaintext accepted: fields are small secrets, not documents. */
    int PLAINTEXT_BYTES_MAX = 64 * 1024;
    /** Bytes of the key prefix every ciphertext starts with (Tink's output prefix: 0x01 and the 4-byte key id). */
    int PREFIX_BYTES = 5;

    /** Encrypts under the purpose's primary key. */
    byte[] seal(DataPurpose purpose, byte[] plaintext, FieldPlace place);

    /**
     * Decrypts a value sealed at {@code place} under any enabled key of the purpose.
     *
     * @throws SealedValueException if it was altered, moved, or made under a key this platform does not have
     */
    byte[] open(DataPurpose purpose, byte[] sealed, FieldPlace place);

    /** Opens and seals again under the current primary key (what a rotation does to each stored value). */
    byte[] reseal(DataPurpose purpose, byte[] sealed, FieldPlace place);

    /** The 5-byte prefix that starts every ciphertext made under {@code keyId} (for finding them in SQL). */
    static byte[] prefixOf(int keyId) {
        return new byte[] {1, (byte) (keyId >>> 24), (byte) (keyId >>> 16), (byte) (keyId >>> 8), (byte) keyId};
    }

    /**
     * The id of the key a ciphertext was made with (read from its prefix).
     *
     * @throws SealedValueException if the value is too short or has no Tink key prefix
     */
    static int keyIdOf(byte[] sealed) {
        if (sealed == null || sealed.length < PREFIX_BYTES || sealed[0] != 1) {
            throw new SealedValueException();
        }
        return ((sealed[1] & 0xff) << 24) | ((sealed[2] & 0xff) << 16) | ((sealed[3] & 0xff) << 8) | (sealed[4] & 0xff);
    }
}
