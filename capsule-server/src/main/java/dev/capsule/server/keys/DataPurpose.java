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
    PSEUDONYMS;

    /** The stable name used in the API, the database and the CLI ("operator-secrets"). */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether {@link FieldEncryption} seals with this purpose's keys (the others have their own API). */
    public boolean sealsFields() {
        return this == OPERATOR_SECRETS;
    }

    /** The purpose named by {@link #code()}, or an exception naming the valid codes. */
    public static DataPurpose fromCode(String code) {
        for (DataPurpose purpose : values()) {
            if (purpose.code().equals(code)) {
                return purpose;
            }
        }
        throw new IllegalArgumentException("unknown data purpose '" + code + "'; one of: operator-secrets, subject-data, pseudonyms");
    }
}
