package dev.capsule.core.auth.totp;

/**
 * The HMAC behind a TOTP code (RFC 6238 §1.2). Operators use {@link #SHA1}, the only algorithm every
 * authenticator app implements; SHA-256 and SHA-512 exist so the generator can be checked against all
 * of RFC 6238's test vectors.
 */
public enum TotpAlgorithm {
    SHA1("HmacSHA1"),
    SHA256("HmacSHA256"),
    SHA512("HmacSHA512");

    private final String macName;

    TotpAlgorithm(String macName) {
        this.macName = macName;
    }

    /** The JDK {@link javax.crypto.Mac} algorithm name. */
    String macName() {
        return macName;
    }

    /** The value of the otpauth URI's {@code algorithm} parameter (also RFC 6238's name). */
    public String uriName() {
        return name();
    }
}
