package dev.capsule.runtime.storage;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfSet;
import java.nio.charset.CharacterCodingException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys of one storage area and everything done with them.
 *
 * <p>An area has two Tink keysets, generated on first use: an AES-256-GCM AEAD key that encrypts
 * records, and an HMAC-SHA256 PRF key that turns a storage key into its record id. Both are kept
 * wrapped (encrypted) under the host's master AEAD, with associated data naming the purpose and the
 * area, so a wrapped keyset copied to another area, or used for the other purpose, fails to unwrap.
 *
 * <p>Record layout: {@code recordId = hex(HMAC-SHA256(prfKey, UTF-8(key)))}; the stored bytes are
 * {@code AEAD.encrypt(plaintext = LP(UTF-8(key), UTF-8(value)), ad = LP("capsule.storage.record.v1",
 * miniProgramId, userId, recordId))} where LP is {@link LengthPrefixed}. The key itself lives only
 * inside the ciphertext. Binding the record id binds the key (the PRF is collision-resistant), and
 * opening checks that the key inside hashes to the record id, so a record moved to another key,
 * user or mini-program fails.
 */
final class AreaCipher {
    /** Larger than any keys blob written here (two wrapped one-key keysets, about 300 bytes). */
    static final int KEYS_BLOB_BYTES_MAX = 4096;
    /** Tink prefix (5) + GCM nonce (12) + tag (16) + two length prefixes (8), rounded up; the quota counts the same. */
    static final int RECORD_OVERHEAD_BYTES = StorageLimits.RECORD_OVERHEAD_BYTES;
    /**
     * No record written under any allowed limits is larger: a key is at most 3 UTF-8 bytes per
     * UTF-16 unit. Defaults, not an area's limits, because limits may have been lowered since.
     */
    static final int RECORD_BYTES_MAX = RECORD_OVERHEAD_BYTES + 3 * StorageLimits.KEY_CHARS_MAX + StorageLimits.VALUE_BYTES_MAX;

    private static final int RECORD_ID_BYTES = 32;
    private static final String KEYSET_LABEL = "capsule.storage.keyset.v1";
    private static final String RECORD_LABEL = "capsule.storage.record.v1";
    private static final String VALUE_KEYS_PURPOSE = "record-aead";
    private static final String RECORD_ID_KEYS_PURPOSE = "record-id-prf";
    private static final HexFormat HEX = HexFormat.of();

    private final AreaId area;
    private final KeysetHandle valueKeys;
    private final KeysetHandle recordIdKeys;
    private final Aead values;
    private final PrfSet recordIds;

    private AreaCipher(AreaId area, KeysetHandle valueKeys, KeysetHandle recordIdKeys) throws GeneralSecurityException {
        this.area = area;
        this.valueKeys = valueKeys;
        this.recordIdKeys = recordIdKeys;
        this.values = TinkPrimitives.aead(valueKeys);
        this.recordIds = TinkPrimitives.prf(recordIdKeys);
    }

    static AreaCipher generate(AreaId area) throws GeneralSecurityException {
        TinkPrimitives.ensureRegistered();
        return new AreaCipher(area,
                KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
                KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF));
    }

    /** Unwraps a blob written by {@link #wrap}; fails for another area, another master key or any change. */
    static AreaCipher unwrap(AreaId area, byte[] blob, Aead master) throws GeneralSecurityException {
        TinkPrimitives.ensureRegistered();
        List<byte[]> parts = LengthPrefixed.decode(blob, 2)
                .orElseThrow(() -> new GeneralSecurityException("malformed keys blob"));
        return new AreaCipher(area,
                TinkProtoKeysetFormat.parseEncryptedKeyset(parts.get(0), master, area.associatedData(KEYSET_LABEL, VALUE_KEYS_PURPOSE)),
                TinkProtoKeysetFormat.parseEncryptedKeyset(parts.get(1), master, area.associatedData(KEYSET_LABEL, RECORD_ID_KEYS_PURPOSE)));
    }

    byte[] wrap(Aead master) throws GeneralSecurityException {
        return LengthPrefixed.encode(
                TinkProtoKeysetFormat.serializeEncryptedKeyset(valueKeys, master, area.associatedData(KEYSET_LABEL, VALUE_KEYS_PURPOSE)),
                TinkProtoKeysetFormat.serializeEncryptedKeyset(recordIdKeys, master, area.associatedData(KEYSET_LABEL, RECORD_ID_KEYS_PURPOSE)));
    }

    /** 64 lower-case hex characters; reveals nothing about the key without the area's PRF key. */
    String recordId(byte[] keyUtf8) throws GeneralSecurityException {
        return HEX.formatHex(recordIds.computePrimary(keyUtf8, RECORD_ID_BYTES));
    }

    byte[] seal(String recordId, byte[] keyUtf8, byte[] valueUtf8) throws GeneralSecurityException {
        return values.encrypt(LengthPrefixed.encode(keyUtf8, valueUtf8), area.associatedData(RECORD_LABEL, recordId));
    }

    /** Decrypts the record stored as {@code recordId}; any mismatch or malformation is a failure. */
    StoredEntry open(String recordId, byte[] sealed) throws GeneralSecurityException {
        byte[] plaintext = values.decrypt(sealed, area.associatedData(RECORD_LABEL, recordId));
        List<byte[]> parts = LengthPrefixed.decode(plaintext, 2)
                .orElseThrow(() -> new GeneralSecurityException("malformed record"));
        byte[] keyUtf8 = parts.get(0);
        byte[] valueUtf8 = parts.get(1);
        if (!MessageDigest.isEqual(HEX.parseHex(recordId(keyUtf8)), HEX.parseHex(recordId))) {
            throw new GeneralSecurityException("record id does not match its key");
        }
        try {
            return new StoredEntry(Utf8.decode(keyUtf8), Utf8.decode(valueUtf8), StorageLimits.entryCostBytes(keyUtf8.length, valueUtf8.length));
        } catch (CharacterCodingException e) {
            throw new GeneralSecurityException("record is not UTF-8", e);
        }
    }

    @Override
    public String toString() {
        return "AreaCipher[" + area + "]";
    }
}
