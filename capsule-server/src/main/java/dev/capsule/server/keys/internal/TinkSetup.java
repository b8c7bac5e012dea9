package dev.capsule.server.keys.internal;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.signature.SignatureConfig;
import java.security.GeneralSecurityException;

/** Registers the Tink primitives the keys module uses (idempotent; Tink allows repeated registration). */
final class TinkSetup {
    private static volatile boolean done;

    private TinkSetup() {
    }

    static void ensure() {
        if (done) {
            return;
        }
        try {
            AeadConfig.register();
            SignatureConfig.register();
            PrfConfig.register();
            done = true;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not register its AEAD, signature and PRF primitives", e);
        }
    }
}
