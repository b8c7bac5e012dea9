package dev.capsule.server.identity.internal;

import java.time.Duration;

/** Where a sign-in attempt left the caller. Callers switch over it exhaustively. */
sealed interface SignInStep {

    /** The password step is done (whatever its result, which is not told): send a second factor next. */
    record SecondFactorRequired() implements SignInStep {
    }

    /** Signed in, but the password must change or MFA be enrolled before anything else. */
    record OnboardingRequired(Operator operator) implements SignInStep {
    }

    /** Fully signed in. */
    record SignedIn(Operator operator) implements SignInStep {
    }

    /** Failed; the reason is in the audit trail only. The caller must start again with the password. */
    record Failed() implements SignInStep {
    }

    /** Too many failures for this account or address: nothing was checked. */
    record Throttled(Duration retryAfter) implements SignInStep {
        long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }
}
