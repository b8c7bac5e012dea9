package dev.capsule.server.access.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key as the client holds it: {@code capk_<key id>_<secret>}, where the key id is 16
 * lower-case hex digits (64 random bits; public, it names the key in lists, logs and audit) and the
 * secret is 32 bytes from {@link SecureRandom} in unpadded base64url (43 characters).
 *
 * <p>Security guarantees: the server stores only {@link #hash()}, SHA-256 over the whole token, and
 * compares it with {@link #matches(byte[])} in constant time. A fast hash is right here, and a
 * password hash (Argon2, bcrypt) is not: those make guessing a low-entropy password expensive, but
 * the secret has 256 bits of entropy, which no amount of fast hashing can search, while an Argon2
 * check on every API call would cost tens of milliseconds and megabytes of memory per request and
 * hand attackers a cheap denial of service. {@link #toString()} never shows the secret.
 */
public final class ApiKeyToken {
    public static final String PREFIX = "capk_";
    static final int KEY_ID_BYTES = 8;
    static final int SECRET_BYTES = 32;
    private static final Pattern FORM = Pattern.compile("capk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final String token;

    private ApiKeyToken(String keyId, String token) {
        this.keyId = keyId;
        this.token = token;
    }

    /** A new key: fresh random key id and secret. */
    static ApiKeyToken generate() {
        byte[] id = new byte[KEY_ID_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        return new ApiKeyToken(keyId, PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The token in a request, if it has exactly the API key form. */
    static Optional<ApiKeyToken> parse(String presented) {
        if (presented == null || presented.length() != PREFIX.length() + 16 + 1 + 43) {
            return Optional.empty();
        }
        var matcher = FORM.matcher(presented);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        // Base64url of 32 bytes leaves 2 spare bits in the last character; only the canonical
        // encoding is accepted, so that one key has one spelling.
        String secret = matcher.group(2);
        byte[] decoded = Base64.getUrlDecoder().decode(secret);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(secret)) {
            return Optional.empty();
        }
        return Optional.of(new ApiKeyToken(matcher.group(1), presented));
    }

    public String keyId() {
        return keyId;
    }

    /** The whole token, to show the operator once at creation. */
    String reveal() {
        return token;
    }

    /** SHA-256 of the token, as stored. */
    byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether this token is the one whose hash is stored; constant time in the hash's content. */
    boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(hash(), Objects.requireNonNull(storedHash, "storedHash"));
    }

    @Override
    public String toString() {
        return PREFIX + keyId + "_<redacted>";
    }
}
