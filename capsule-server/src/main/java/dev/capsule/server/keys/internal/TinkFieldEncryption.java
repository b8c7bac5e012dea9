package dev.capsule.server.keys.internal;

import com.google.crypto.tink.Aead;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.SealedValueException;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.springframework.stereotype.Component;

/** {@link FieldEncryption} with the purpose's Tink AES-256-GCM key set ({@link AeadWiring}). */
@Component
class TinkFieldEncryption implements FieldEncryption {
    private final Keysets keysets;
    private final KeyMetrics metrics;

    TinkFieldEncryption(Keysets keysets, KeyMetrics metrics) {
        this.keysets = keysets;
        this.metrics = metrics;
    }

    @Override
    public byte[] seal(DataPurpose purpose, byte[] plaintext, FieldPlace place) {
        KeyPurpose keyPurpose = fieldPurpose(purpose);
        Objects.requireNonNull(place, "place");
        if (plaintext == null || plaintext.length > PLAINTEXT_BYTES_MAX) {
            throw new IllegalArgumentException("a sealed field holds 0 to " + PLAINTEXT_BYTES_MAX + " bytes");
        }
        try {
            byte[] sealed = keysets.current(keyPurpose).primitive(Aead.class).encrypt(plaintext, place.associatedData());
            metrics.count(keyPurpose, "seal", true);
            return sealed;
        } catch (GeneralSecurityException e) {
            metrics.count(keyPurpose, "seal", false);
            throw new IllegalStateException("sealing a " + purpose.code() + " value failed", e);
        }
    }

    @Override
    public byte[] open(DataPurpose purpose, byte[] sealed, FieldPlace place) {
        KeyPurpose keyPurpose = fieldPurpose(purpose);
        Objects.requireNonNull(place, "place");
        int keyId = FieldEncryption.keyIdOf(sealed);
        Keysets.Loaded keyset = keysets.current(keyPurpose);
        if (!keyset.enables(keyId)) {
            keyset = keysets.afterMiss(keyPurpose);
        }
        try {
            byte[] plaintext = keyset.primitive(Aead.class).decrypt(sealed, place.associatedData());
            metrics.count(keyPurpose, "open", true);
            return plaintext;
        } catch (GeneralSecurityException e) {
            metrics.count(keyPurpose, "open", false);
            throw new SealedValueException();
        }
    }

    @Override
    public byte[] reseal(DataPurpose purpose, byte[] sealed, FieldPlace place) {
        return seal(purpose, open(purpose, sealed, place), place);
    }

    private static KeyPurpose fieldPurpose(DataPurpose purpose) {
        Objects.requireNonNull(purpose, "purpose");
        if (!purpose.sealsFields()) {
            throw new IllegalArgumentException("the " + purpose.code() + " keys do not seal fields");
        }
        return KeyPurpose.of(purpose);
    }
}
