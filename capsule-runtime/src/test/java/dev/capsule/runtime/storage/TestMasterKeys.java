package dev.capsule.runtime.storage;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;

/** Fresh in-memory master keys, standing in for the host's KMS-backed one. */
final class TestMasterKeys {
    private TestMasterKeys() {}

    static Aead newMasterKey() {
        TinkPrimitives.ensureRegistered();
        try {
            return TinkPrimitives.aead(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
