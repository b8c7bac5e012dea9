package dev.capsule.server.keys.internal;

import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfSet;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.KeyedIndex;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * {@link KeyedIndex} with the purpose's HMAC-SHA256 key set (Tink's HMAC PRF, the same wiring as {@link HmacPseudonyms}:
 * {@link PrfWiring}, 128-bit tags). Only enabled keys compute tags (Tink leaves disabled keys out of the primitive),
 * so a key retired by a rotation no longer matches anything: by then its holders have re-indexed every row.
 */
@Component
class HmacKeyedIndex implements KeyedIndex {
    private final Keysets keysets;
    private final KeyMetrics metrics;

    HmacKeyedIndex(Keysets keysets, KeyMetrics metrics) {
        this.keysets = keysets;
        this.metrics = metrics;
    }

    @Override
    public Tag tag(DataPurpose purpose, byte[] value) {
        KeyPurpose keyPurpose = indexPurpose(purpose, value);
        try {
            PrfSet prfs = keysets.current(keyPurpose).primitive(PrfSet.class);
            Tag tag = tag(prfs.getPrimaryId(), prfs.getPrfs().get(prfs.getPrimaryId()), value);
            metrics.count(keyPurpose, "tag", true);
            return tag;
        } catch (GeneralSecurityException e) {
            metrics.count(keyPurpose, "tag", false);
            throw new IllegalStateException("computing a " + purpose.code() + " tag failed", e);
        }
    }

    @Override
    public List<Tag> candidates(DataPurpose purpose, byte[] value) {
        KeyPurpose keyPurpose = indexPurpose(purpose, value);
        try {
            // The key set as the database has it now (one version check): a key another node just added is tried at once,
            // so a row it re-indexed is found here too.
            PrfSet prfs = keysets.fresh(keyPurpose).primitive(PrfSet.class);
            List<Tag> tags = new ArrayList<>();
            tags.add(tag(prfs.getPrimaryId(), prfs.getPrfs().get(prfs.getPrimaryId()), value));
            for (Map.Entry<Integer, Prf> entry : prfs.getPrfs().entrySet()) {
                if (entry.getKey() != prfs.getPrimaryId()) {
                    tags.add(tag(entry.getKey(), entry.getValue(), value));
                }
            }
            metrics.count(keyPurpose, "tag", true);
            return List.copyOf(tags);
        } catch (GeneralSecurityException e) {
            metrics.count(keyPurpose, "tag", false);
            throw new IllegalStateException("computing " + purpose.code() + " tags failed", e);
        }
    }

    private static Tag tag(int keyId, Prf prf, byte[] value) throws GeneralSecurityException {
        return new Tag(keyId, HexFormat.of().formatHex(prf.compute(value, PrfWiring.TAG_BYTES)));
    }

    private static KeyPurpose indexPurpose(DataPurpose purpose, byte[] value) {
        Objects.requireNonNull(purpose, "purpose");
        // Pseudonyms have their own API (one key, no candidates); every other keyed-hash purpose is an index.
        if (!purpose.keyedHash() || purpose == DataPurpose.PSEUDONYMS) {
            throw new IllegalArgumentException("the " + purpose.code() + " keys do not make index tags");
        }
        if (value == null || value.length == 0 || value.length > VALUE_BYTES_MAX) {
            throw new IllegalArgumentException("an indexed value has 1 to " + VALUE_BYTES_MAX + " bytes");
        }
        return KeyPurpose.of(purpose);
    }
}
