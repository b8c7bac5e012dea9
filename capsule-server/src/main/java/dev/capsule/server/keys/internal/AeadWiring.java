package dev.capsule.server.keys.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;

/**
 * The one definition of the AEAD the keys module uses: AES-256-GCM with a 96-bit random nonce and a
 * 128-bit tag (Tink). Key sets are generated with {@link #KEYSET_PARAMETERS} (Tink output prefix: the
 * key id leads every ciphertext); raw keys (the keystore key derived from the master secret) use
 * {@link #fromRawKey}. Other key, nonce and tag sizes are refused on purpose: one well-understood
 * configuration, nothing to negotiate. Public only for capsule-bench's FieldEncryptionBenchmark
 * ({@link #newKeysetAead}); nothing outside the keys module uses it.
 */
public final class AeadWiring {
    static final int KEY_BYTES = 32;
    static final int IV_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final AesGcmParameters KEYSET_PARAMETERS = parameters(AesGcmParameters.Variant.TINK);
    private static final AesGcmParameters RAW_PARAMETERS = parameters(AesGcmParameters.Variant.NO_PREFIX);

    private AeadWiring() {
    }

    /**
     * The AEAD of a new one-key key set made exactly as the keys module makes a data key set (what
     * {@link dev.capsule.server.keys.FieldEncryption} encrypts with): for benchmarks.
     */
    public static Aead newKeysetAead() {
        TinkSetup.ensure();
        try {
            return KeysetHandle.generateNew(KEYSET_PARAMETERS).getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot make an AES-256-GCM key set", e);
        }
    }

    /** An AEAD over a raw 256-bit key; its ciphertexts are nonce || ciphertext || tag (no key prefix). */
    static Aead fromRawKey(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-GCM keys here are 256 bits (32 bytes), not "
                    + (key == null ? "none" : key.length * 8 + " bits"));
        }
        TinkSetup.ensure();
        try {
            AesGcmKey aesKey = AesGcmKey.builder().setParameters(RAW_PARAMETERS)
                    .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get())).build();
            KeysetHandle handle = KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.importKey(aesKey).withRandomId().makePrimary()).build();
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink refused an AES-256-GCM key", e);
        }
    }

    /**
     * Decrypts a ciphertext given in parts (as test vectors give them) with an AEAD from {@link #fromRawKey}.
     *
     * @throws IllegalArgumentException for a nonce other than 96 bits or a tag other than 128 bits (never used here)
     * @throws GeneralSecurityException if it does not authenticate
     */
    static byte[] openParts(Aead aead, byte[] iv, byte[] ciphertext, byte[] tag, byte[] associatedData)
            throws GeneralSecurityException {
        if (iv.length != IV_BYTES) {
            throw new IllegalArgumentException("AES-GCM nonces here are 96 bits, not " + iv.length * 8 + " bits");
        }
        if (tag.length != TAG_BYTES) {
            throw new IllegalArgumentException("AES-GCM tags here are 128 bits, not " + tag.length * 8 + " bits");
        }
        byte[] joined = new byte[iv.length + ciphertext.length + tag.length];
        System.arraycopy(iv, 0, joined, 0, iv.length);
        System.arraycopy(ciphertext, 0, joined, iv.length, ciphertext.length);
        System.arraycopy(tag, 0, joined, iv.length + ciphertext.length, tag.length);
        return aead.decrypt(joined, associatedData);
    }

    private static AesGcmParameters parameters(AesGcmParameters.Variant variant) {
        try {
            return AesGcmParameters.builder().setKeySizeBytes(KEY_BYTES).setIvSizeBytes(IV_BYTES)
                    .setTagSizeBytes(TAG_BYTES).setVariant(variant).build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
