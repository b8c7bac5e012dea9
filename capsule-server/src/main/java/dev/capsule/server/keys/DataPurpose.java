package dev.capsule.server.keys;

import java.util.Locale;

/**
 * What a platform data key set protects. Each purpose has its own Tink key set, wrapped under the
 * key-encryption key, so rotating or destroying one leaves the others alone.
 *
 * <p>Security guarantees: purposes never share a key; a key set is stored only encrypted under the
 * key-encryption key with its purpose as associated data, so one purpose's stored key set cannot be
 * swapped for another's.
 */
public enum DataPurpose {
    /** Operators' secrets the server must read back (TOTP secrets): AES-256-GCM, through {@link FieldEncryption}. */
    OPERATOR_SECRETS,
    /** Wraps each data subject's own data key ({@link SubjectKeys}): AES-256-GCM. */
    SUBJECT_DATA,
    /** The HMAC-SHA256 key of {@link Pseudonyms}. */
    PSEUDONYMS,
    /** Card numbers in the payments module's vault, each bound to its token: AES-256-GCM, through {@link FieldEncryption}. */
    VAULT,
    /** The keyed HMAC-SHA256 index of whole card numbers (PCI DSS 4.0 req. 3.5.1.1), through {@link KeyedIndex}. */
    CARD_INDEX,
    /** Merchants' shared secrets the server must read back (HMAC request keys, webhook secrets): AES-256-GCM, through {@link FieldEncryption}. */
    MERCHANT_SECRETS;

    /** The stable name used in the API, the database and the CLI ("operator-secrets"). */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether {@link FieldEncryption} seals with this purpose's keys (the others have their own API). */
    public boolean sealsFields() {
        return this == OPERATOR_SECRETS || this == VAULT || this == MERCHANT_SECRETS;
    }

    /** Whether this purpose's keys are HMAC-SHA256 keys (a keyed hash), not AEAD keys. */
    public boolean keyedHash() {
        return this == PSEUDONYMS || this == CARD_INDEX;
    }

    /** The purpose named by {@link #code()}, or an exception naming the valid codes. */
    public static DataPurpose fromCode(String code) {
        for (DataPurpose purpose : values()) {
            if (purpose.code().equals(code)) {
                return purpose;
            }
        }
        throw new IllegalArgumentException("unknown data purpose '" + code + "'; one of: "
                + String.join(", ", java.util.Arrays.stream(values()).map(DataPurpose::code).toList()));
    }
}
