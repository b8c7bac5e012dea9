package dev.capsule.core.pkg;

/**
 * Why a package was rejected. Each reason has a stable code for scripts ({@code --json}) and
 * tests; the accompanying message gives the detail (which entry, which limit).
 */
public enum Reason {
    ARCHIVE_TOO_LARGE("archive-too-large"),
    TOO_MANY_ENTRIES("too-many-entries"),
    FILE_TOO_LARGE("file-too-large"),
    TOTAL_TOO_LARGE("uncompressed-too-large"),
    COMPRESSION_RATIO("compression-ratio"),
    CORRUPT("corrupt-archive"),
    UNSUPPORTED_ZIP_FEATURE("unsupported-zip-feature"),
    UNSAFE_PATH("unsafe-path"),
    NOT_REGULAR_FILE("not-regular-file"),
    DUPLICATE_NAME("duplicate-name"),
    NON_UTF8_NAME("non-utf8-name"),
    ENCRYPTED_ENTRY("encrypted-entry"),
    MALFORMED_METADATA("malformed-metadata"),
    UNCOVERED_FILE("uncovered-file"),
    MISSING_FILE("missing-file"),
    DIGEST_MISMATCH("digest-mismatch"),
    INVALID_MANIFEST("invalid-manifest"),
    /** A TypeScript source given to pack: only its compiled .js is ever packed (pack refuses it; reading never sees one from pack). */
    UNCOMPILED_SOURCE("uncompiled-source"),
    SIGNATURE_MISMATCH("signature-mismatch"),
    BAD_SIGNATURE("bad-signature"),
    UNSIGNED("unsigned"),
    UNTRUSTED("untrusted"),
    ROLE_NOT_TRUSTED("role-not-trusted"),
    ROLE_MISSING("role-missing"),
    /** A trusted key signed a package whose app id the host did not bind it to. */
    APP_ID_NOT_ALLOWED("app-id-not-allowed");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /** Stable, lower-case, hyphenated code. */
    public String code() {
        return code;
    }
}
