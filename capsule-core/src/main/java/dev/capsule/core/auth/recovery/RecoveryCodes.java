package dev.capsule.core.auth.recovery;

import dev.capsule.core.auth.Base32;
import dev.capsule.core.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One-time recovery codes: the way back in for an operator who lost their authenticator.
 *
 * <p>Format: {@value #CODE_BYTES} random bytes (80 bits) written as 16 RFC 4648 base32 characters in
 * groups of four, for example {@code K7QD-M2XA-4PLR-ZB6E}. Input is normalised before checking: case is
 * ignored and dashes and spaces anywhere are dropped, so {@code k7qd m2xa 4plr zb6e} is the same code.
 * The base32 alphabet has no {@code 0}, {@code 1}, {@code 8} or {@code 9}, so {@code 0}/{@code O} and
 * {@code 1}/{@code I}/{@code L} cannot be confused.
 *
 * <p>Storage: each code is stored as SHA-256 over a fixed domain-separation prefix and the code's 10
 * bytes. A plain (unsalted, fast) hash is enough here, unlike for passwords, because the input is not
 * chosen by a person: it is uniformly random with 80 bits of entropy, so there is no dictionary to try
 * and no precomputed table covers the space. Someone holding the hashes of {@code n} codes must expect
 * about 2<sup>80</sup>/n SHA-256 evaluations to recover one; for 1,000 operators (10,000 codes) at
 * 10<sup>11</sup> hashes per second that is decades, and a recovered code is worth one login that the
 * operator can see and revoke. (Whoever can read the database can usually read the TOTP secrets too,
 * which must be stored recoverably, so the recovery hashes are not the weakest link.) A slow hash would
 * add no meaningful margin and a key would add a secret to manage.
 *
 * <p>Security guarantees: codes come from the JDK's {@link SecureRandom}; plaintext codes are only
 * reachable through {@link GeneratedRecoveryCodes#codes}, meant to be shown once; verification hashes
 * the input once and compares it with every stored hash using {@link MessageDigest#isEqual}, with no early
 * exit; each code works once because {@link RecoveryOutcome.Matched} names the stored hash that the caller
 * must delete (atomically with the login). Nothing of the input appears in an outcome.
 */
public final class RecoveryCodes {
    /** Codes issued per operator. */
    public static final int COUNT = 10;
    /** 80 bits: 16 base32 characters. */
    public static final int CODE_BYTES = 10;
    /** Characters per dash-separated group. */
    public static final int GROUP_CHARS = 4;
    /** Input longer than this is malformed without further work (a code with spaces and dashes is 19–40). */
    public static final int INPUT_CHARS_MAX = 64;
    /** Versioned, so a future format cannot collide with this one. */
    private static final byte[] DOMAIN = "capsule-recovery-code-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final int CODE_CHARS = CODE_BYTES * 8 / 5;

    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {}

    /** {@value #COUNT} fresh codes and their hashes; store the hashes, show the codes once. */
    public static GeneratedRecoveryCodes generate() {
        List<String> codes = new ArrayList<>(COUNT);
        List<Sha256> hashes = new ArrayList<>(COUNT);
        while (codes.size() < COUNT) {
            byte[] bytes = new byte[CODE_BYTES];
            RANDOM.nextBytes(bytes);
            Sha256 hash = hash(bytes);
            // A repeat among 10 draws of 80 bits would be a broken random source; never issue it twice.
            if (hashes.contains(hash)) {
                continue;
            }
            codes.add(format(Base32.encode(bytes)));
            hashes.add(hash);
        }
        return new GeneratedRecoveryCodes(codes, hashes);
    }

    /**
     * Checks a typed code against an operator's stored hashes.
     *
     * @param storedHashes the operator's unused codes' hashes, at most {@value #COUNT}
     * @return {@link RecoveryOutcome.Matched} with the hash to delete, or {@link RecoveryOutcome.Rejected}
     * @throws IllegalArgumentException if more than {@value #COUNT} hashes are passed (a caller bug)
     */
    public static RecoveryOutcome verify(CharSequence input, List<Sha256> storedHashes) {
        Objects.requireNonNull(storedHashes, "storedHashes");
        if (storedHashes.size() > COUNT) {
            throw new IllegalArgumentException("an operator has at most " + COUNT + " recovery codes, not " + storedHashes.size());
        }
        Optional<byte[]> code = decode(input);
        if (code.isEmpty()) {
            return new RecoveryOutcome.Rejected(RecoveryOutcome.Reason.MALFORMED);
        }
        Sha256 typed = hash(code.get());
        Sha256 matched = null;
        for (Sha256 stored : storedHashes) {
            // Every stored hash is compared, in constant time each, so timing does not tell which matched.
            if (typed.matches(stored) && matched == null) {
                matched = stored;
            }
        }
        return matched != null
                ? new RecoveryOutcome.Matched(matched)
                : new RecoveryOutcome.Rejected(RecoveryOutcome.Reason.NO_MATCH);
    }

    /** The code's bytes after normalisation, or empty if it is not a well-formed code. */
    static Optional<byte[]> decode(CharSequence input) {
        if (input == null || input.length() > INPUT_CHARS_MAX) {
            return Optional.empty();
        }
        StringBuilder normal = new StringBuilder(CODE_CHARS);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == '-' || c == ' ') {
                continue;
            }
            // ASCII-only upper-casing: a locale must not turn 'i' into a dotted capital İ.
            normal.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
        }
        if (normal.length() != CODE_CHARS) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base32.decode(normal));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Sha256 hash(byte[] code) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(DOMAIN);
        digest.update(code);
        return new Sha256(digest.digest());
    }

    private static String format(String base32) {
        StringBuilder out = new StringBuilder(base32.length() + base32.length() / GROUP_CHARS);
        for (int i = 0; i < base32.length(); i += GROUP_CHARS) {
            if (i > 0) {
                out.append('-');
            }
            out.append(base32, i, i + GROUP_CHARS);
        }
        return out.toString();
    }
}
