package dev.capsule.server.keys.internal;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.prf.HmacPrfKey;
import com.google.crypto.tink.prf.HmacPrfParameters;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfSet;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;

/**
 * The one definition of the keyed hash behind pseudonyms: HMAC-SHA256 (Tink's HMAC PRF) with a
 * 256-bit key, output truncated to {@link #TAG_BYTES}. Other key sizes are refused on purpose.
 */
final class PrfWiring {
    static final int KEY_BYTES = 32;
    /** 128 bits: collisions among the pseudonyms of one platform are negligible (birthday bound 2^64). */
    static final int TAG_BYTES = 16;
    /** HMAC-SHA256's full output. */
    static final int OUTPUT_BYTES_MAX = 32;
    static final HmacPrfParameters PARAMETERS = parameters();

    private PrfWiring() {
    }

    /** The PRF over a raw 256-bit HMAC key. */
    static Prf fromRawKey(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("HMAC-SHA256 keys here are 256 bits (32 bytes), not "
                    + (key == null ? "none" : key.length * 8 + " bits"));
        }
        TinkSetup.ensure();
        try {
            HmacPrfKey prfKey = HmacPrfKey.builder().setParameters(PARAMETERS)
                    .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get())).build();
            KeysetHandle handle = KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.importKey(prfKey).withRandomId().makePrimary()).build();
            return handle.getPrimitive(RegistryConfiguration.get(), PrfSet.class).getPrfs().values().iterator().next();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink refused an HMAC-SHA256 key", e);
        }
    }

    private static HmacPrfParameters parameters() {
        try {
            return HmacPrfParameters.builder().setKeySizeBytes(KEY_BYTES).setHashType(HmacPrfParameters.HashType.SHA256).build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
