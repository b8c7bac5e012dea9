package dev.capsule.core.auth.totp;

import java.time.Instant;
import java.util.Objects;

/**
 * The parameters of a TOTP code (RFC 6238 §4): HMAC algorithm, number of digits, time step
 * ({@code X}) and start time ({@code T0}).
 *
 * @param algorithm the HMAC
 * @param digits code length, {@value #DIGITS_MIN} to {@value #DIGITS_MAX} (RFC 4226 §5.3)
 * @param periodSeconds the time step X, 1 to {@value #PERIOD_SECONDS_MAX}
 * @param t0EpochSeconds T0, the Unix time at which step 0 starts; not negative
 */
public record TotpParameters(TotpAlgorithm algorithm, int digits, int periodSeconds, long t0EpochSeconds) {
    public static final int DIGITS_MIN = 6;
    public static final int DIGITS_MAX = 8;
    /** An hour: longer steps make a code a long-lived password, which TOTP is meant not to be. */
    public static final int PERIOD_SECONDS_MAX = 3600;

    /** Capsule's operator policy: SHA-1, 6 digits, 30 seconds, T0 = 0 (what every authenticator app shows by default). */
    public static final TotpParameters OPERATOR = new TotpParameters(TotpAlgorithm.SHA1, 6, 30, 0);

    public TotpParameters {
        Objects.requireNonNull(algorithm, "algorithm");
        if (digits < DIGITS_MIN || digits > DIGITS_MAX) {
            throw new IllegalArgumentException("TOTP digits must be " + DIGITS_MIN + " to " + DIGITS_MAX + ", not " + digits);
        }
        if (periodSeconds < 1 || periodSeconds > PERIOD_SECONDS_MAX) {
            throw new IllegalArgumentException("TOTP period must be 1 to " + PERIOD_SECONDS_MAX + " seconds, not " + periodSeconds);
        }
        if (t0EpochSeconds < 0) {
            throw new IllegalArgumentException("TOTP T0 must not be negative");
        }
    }

    /**
     * The time step T = floor((unixTime − T0) / X) containing {@code instant}; negative before T0
     * (no code exists there).
     */
    public long stepAt(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond() - t0EpochSeconds, (long) periodSeconds);
    }
}
