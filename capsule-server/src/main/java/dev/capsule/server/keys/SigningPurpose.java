package dev.capsule.server.keys;

import java.util.Locale;

/**
 * What a platform signing key signs. Each purpose has its own Ed25519 keys, so a key that signs audit
 * checkpoints can never be used to countersign a package, and rotating one purpose leaves the others alone.
 *
 * <p>Security guarantees: each purpose's keys live in their own key set, created on first use and
 * stored only encrypted under the key-encryption key; rotation keeps every earlier public key published.
 */
public enum SigningPurpose {
    /** The platform's countersignature on a released package. */
    PACKAGE_COUNTERSIGNATURE,
    /** C2SP signed-note signatures on audit log checkpoints. */
    AUDIT_CHECKPOINT,
    /** Signed lists of revoked keys and packages. */
    REVOCATION_LIST,
    /** C2SP signed-note signatures on release log checkpoints (a key apart from the audit log's: each log its own key). */
    RELEASE_CHECKPOINT;

    /** The stable name used in the API, the database and the CLI ("audit-checkpoint"). */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The purpose named by {@link #code()}, or an exception naming the valid codes. */
    public static SigningPurpose fromCode(String code) {
        for (SigningPurpose purpose : values()) {
            if (purpose.code().equals(code)) {
                return purpose;
            }
        }
        throw new IllegalArgumentException("unknown signing purpose '" + code + "'; one of: package-countersignature, audit-checkpoint, revocation-list, release-checkpoint");
    }
}
