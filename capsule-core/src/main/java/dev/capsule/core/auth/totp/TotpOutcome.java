package dev.capsule.core.auth.totp;

/**
 * What {@link TotpVerifier#verify} decided. Callers switch over it exhaustively.
 *
 * <p>On {@link Accepted}, the caller must store {@link Accepted#step()} as the account's last accepted
 * step, atomically with the login (for example {@code UPDATE ... SET totp_last_step = ? WHERE
 * totp_last_step IS NULL OR totp_last_step < ?}), before treating the login as done: that store is what
 * makes each code usable once across concurrent requests.
 */
public sealed interface TotpOutcome {

    /** The code is valid for time step {@code step}, later than any step accepted before. */
    record Accepted(long step) implements TotpOutcome {}

    /**
     * The code was refused. The reason is for the audit log only: show every user the same message,
     * so failures look alike.
     */
    record Rejected(Reason reason) implements TotpOutcome {}

    enum Reason {
        /** Not exactly the expected number of ASCII digits. */
        MALFORMED,
        /** No code in the accepted window matches. */
        NO_MATCH,
        /** The code matches a step at or before the last accepted step: a replay. */
        REPLAYED
    }
}
