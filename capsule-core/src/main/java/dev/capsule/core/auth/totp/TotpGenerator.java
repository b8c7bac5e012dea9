package dev.capsule.core.auth.totp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes TOTP codes (RFC 6238), which are HOTP codes (RFC 4226) whose counter is the time step.
 *
 * <p>Security guarantees: the HMAC is the JDK's {@link Mac}; this class only implements the
 * standard's counter encoding and dynamic truncation. Codes are returned as strings of exactly
 * {@code digits} ASCII digits, zero-padded, so comparisons are of equal-length values.
 */
public final class TotpGenerator {
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private TotpGenerator() {}

    /** The code for the time step containing {@code instant}. */
    public static String codeAt(TotpSecret secret, TotpParameters parameters, Instant instant) {
        return code(secret, parameters, parameters.stepAt(instant));
    }

    /**
     * The code for time step {@code step} (RFC 6238 §4.2: HOTP with counter T).
     *
     * @throws IllegalArgumentException if {@code step} is negative (before T0 there are no codes)
     */
    public static String code(TotpSecret secret, TotpParameters parameters, long step) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(parameters, "parameters");
        if (step < 0) {
            throw new IllegalArgumentException("no TOTP code exists before T0");
        }
        byte[] hash = hmac(parameters.algorithm(), secret.keyBytes(), ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        // RFC 4226 §5.3 dynamic truncation: the low 4 bits of the last byte pick 4 bytes; drop the sign bit.
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        int otp = binary % POWERS_OF_TEN[parameters.digits()];
        String digits = Integer.toString(otp);
        return "0".repeat(parameters.digits() - digits.length()) + digits;
    }

    private static byte[] hmac(TotpAlgorithm algorithm, byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm.macName());
            mac.init(new SecretKeySpec(key, algorithm.macName()));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            // Every Java SE implementation must provide HmacSHA1 and HmacSHA256; SHA-512 is in every JDK.
            throw new IllegalStateException("this JDK cannot compute " + algorithm.macName(), e);
        }
    }
}
