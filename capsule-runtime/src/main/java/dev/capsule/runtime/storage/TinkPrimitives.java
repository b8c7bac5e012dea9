package dev.capsule.runtime.storage;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import java.security.GeneralSecurityException;

/**
 * The one place storage registers Tink's key types and turns keysets into primitives. Tink asks
 * users to register exactly the primitives they use rather than rely on someone else having done
 * it; registration is idempotent.
 */
final class TinkPrimitives {
    static {
        try {
            AeadConfig.register();
            PrfConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TinkPrimitives() {}

    static Aead aead(KeysetHandle keys) throws GeneralSecurityException {
        return keys.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    static PrfSet prf(KeysetHandle keys) throws GeneralSecurityException {
        return keys.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
    }

    /** Forces registration before a keyset is generated or parsed. */
    static void ensureRegistered() {
        // The static initialiser has run by the time this returns.
    }
}
