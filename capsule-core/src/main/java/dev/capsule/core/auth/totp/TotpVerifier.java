package dev.capsule.core.auth.totp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Checks a TOTP code typed by a user against the current time step ±{@value #WINDOW_STEPS}
 * (RFC 6238 §5.2 allows one step of clock drift or transmission delay either way).
 *
 * <p>Security guarantees:
 * <ul>
 *   <li>Each code is accepted once: the caller passes the last step it accepted for this account, and
 *       a code whose step is at or before it is {@link TotpOutcome.Reason#REPLAYED rejected}, so a
 *       code seen by an onlooker cannot be replayed inside the window, nor can an older code once a
 *       newer one was used. The caller must store the accepted step atomically (see
 *       {@link TotpOutcome}).</li>
 *   <li>The comparison is constant-time with respect to the code: every step in the window is
 *       computed and compared with {@link MessageDigest#isEqual}, with no early exit.</li>
 *   <li>Malformed input (not exactly {@code digits} ASCII digits, including non-ASCII digits such as
 *       {@code ٣}) is {@link TotpOutcome.Reason#MALFORMED rejected} without an exception, and nothing
 *       of the input or the expected codes is ever put in an outcome or message.</li>
 *   <li>Not provided here: throttling. A 6-digit code with a 3-step window is guessed with
 *       probability 3 in a million per attempt; the caller must limit attempts per account.</li>
 * </ul>
 */
public final class TotpVerifier {
    /** Steps accepted either side of the current one. */
    public static final int WINDOW_STEPS = 1;

    private final TotpParameters parameters;
    private final InstantSource clock;

    /**
     * @param parameters the account's parameters ({@link TotpParameters#OPERATOR} for operators)
     * @param clock the time source; inject a fixed one in tests
     */
    public TotpVerifier(TotpParameters parameters, InstantSource clock) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies {@code code} now.
     *
     * @param lastAcceptedStep the step returned by the last {@link TotpOutcome.Accepted} for this
     *     account, or empty if none was ever accepted
     */
    public TotpOutcome verify(TotpSecret secret, CharSequence code, OptionalLong lastAcceptedStep) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(lastAcceptedStep, "lastAcceptedStep");
        if (!isWellFormed(code)) {
            return new TotpOutcome.Rejected(TotpOutcome.Reason.MALFORMED);
        }
        byte[] typed = code.toString().getBytes(StandardCharsets.US_ASCII);
        long current = parameters.stepAt(clock.instant());
        long accepted = -1;
        boolean replayed = false;
        // Newest first, so that if two steps in the window share a code the newest unused one wins.
        for (long step = current + WINDOW_STEPS; step >= current - WINDOW_STEPS; step--) {
            if (step < 0) {
                continue;
            }
            byte[] expected = TotpGenerator.code(secret, parameters, step).getBytes(StandardCharsets.US_ASCII);
            boolean matches = MessageDigest.isEqual(expected, typed);
            boolean fresh = lastAcceptedStep.isEmpty() || step > lastAcceptedStep.getAsLong();
            if (matches && fresh && accepted < 0) {
                accepted = step;
            } else if (matches && !fresh) {
                replayed = true;
            }
        }
        if (accepted >= 0) {
            return new TotpOutcome.Accepted(accepted);
        }
        return new TotpOutcome.Rejected(replayed ? TotpOutcome.Reason.REPLAYED : TotpOutcome.Reason.NO_MATCH);
    }

    private boolean isWellFormed(CharSequence code) {
        if (code == null || code.length() != parameters.digits()) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
