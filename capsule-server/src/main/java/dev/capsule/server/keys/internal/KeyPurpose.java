package dev.capsule.server.keys.internal;

import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.signature.Ed25519Parameters;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.SigningPurpose;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A key set's purpose as stored (its code is the key set's name) and what kind of keys it holds. */
sealed interface KeyPurpose permits KeyPurpose.Data, KeyPurpose.Signing {

    String code();

    Parameters parameters();

    record Data(DataPurpose purpose) implements KeyPurpose {
        @Override
        public String code() {
            return purpose.code();
        }

        @Override
        public Parameters parameters() {
            return purpose.keyedHash() ? PrfWiring.PARAMETERS : AeadWiring.KEYSET_PARAMETERS;
        }
    }

    record Signing(SigningPurpose purpose) implements KeyPurpose {
        /** Plain RFC 8032 signatures: no Tink prefix, so anyone's Ed25519 verifier accepts them. */
        static final Parameters ED25519 = Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX);

        @Override
        public String code() {
            return purpose.code();
        }

        @Override
        public Parameters parameters() {
            return ED25519;
        }
    }

    static KeyPurpose of(DataPurpose purpose) {
        return new Data(purpose);
    }

    static KeyPurpose of(SigningPurpose purpose) {
        return new Signing(purpose);
    }

    static List<KeyPurpose> all() {
        List<KeyPurpose> all = new ArrayList<>();
        for (DataPurpose purpose : DataPurpose.values()) {
            all.add(of(purpose));
        }
        for (SigningPurpose purpose : SigningPurpose.values()) {
            all.add(of(purpose));
        }
        return List.copyOf(all);
    }

    static Optional<KeyPurpose> fromCode(String code) {
        return all().stream().filter(purpose -> purpose.code().equals(code)).findFirst();
    }

    static String codes() {
        return String.join(", ", all().stream().map(KeyPurpose::code).toList());
    }
}
