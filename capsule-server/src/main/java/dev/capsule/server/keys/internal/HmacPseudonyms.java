package dev.capsule.server.keys.internal;

import com.google.crypto.tink.prf.PrfSet;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.Pseudonyms;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/** {@link Pseudonyms} with the primary key of the {@code pseudonyms} HMAC-SHA256 key set ({@link PrfWiring}). */
@Component
class HmacPseudonyms implements Pseudonyms {
    private static final KeyPurpose PURPOSE = KeyPurpose.of(DataPurpose.PSEUDONYMS);

    private final Keysets keysets;
    private final KeyMetrics metrics;

    HmacPseudonyms(Keysets keysets, KeyMetrics metrics) {
        this.keysets = keysets;
        this.metrics = metrics;
    }

    @Override
    public String tag(String value) {
        if (value == null || value.length() > VALUE_CHARS_MAX) {
            throw new IllegalArgumentException("a pseudonymised value has 0 to " + VALUE_CHARS_MAX + " characters");
        }
        try {
            byte[] tag = keysets.current(PURPOSE).primitive(PrfSet.class)
                    .computePrimary(value.getBytes(StandardCharsets.UTF_8), PrfWiring.TAG_BYTES);
            metrics.count(PURPOSE, "tag", true);
            return HexFormat.of().formatHex(tag);
        } catch (GeneralSecurityException e) {
            metrics.count(PURPOSE, "tag", false);
            throw new IllegalStateException("computing a pseudonym failed", e);
        }
    }
}
