package dev.capsule.core.crypto;

/**
 * An explicit token that a caller must hold to read secret key bytes.
 *
 * <p>Why: secret bytes should never flow out of a key object by accident (a logger, a debugger
 * {@code toString}, a serializer). Every read of secret material names this token, so such reads
 * are few, greppable and reviewed. The pattern is Tink's {@code SecretKeyAccess}.
 *
 * <p>Security guarantees: none by itself at run time; it is a code-review and API-design guard.
 * Code that calls {@link #grant()} is taking responsibility for the bytes it gets.
 */
public final class SecretAccess {
    private static final SecretAccess INSTANCE = new SecretAccess();

    private SecretAccess() {}

    /** Grants access to secret bytes. Call sites are the audit points for secret handling. */
    public static SecretAccess grant() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return "SecretAccess";
    }
}
