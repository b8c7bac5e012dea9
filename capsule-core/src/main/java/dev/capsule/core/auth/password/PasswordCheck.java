package dev.capsule.core.auth.password;

import java.util.Objects;

/** What {@link PasswordPolicy#check} decided. Callers switch over it exhaustively. */
public sealed interface PasswordCheck {

    /** The password meets the policy. Hash {@link PasswordPolicy#normalize} of it, not the raw text. */
    record Acceptable() implements PasswordCheck {}

    /** The password breaks {@code rule}; show {@link #message()} to the user. */
    record Rejected(PasswordRule rule) implements PasswordCheck {
        public Rejected {
            Objects.requireNonNull(rule, "rule");
        }

        /** The user-facing reason; never contains the password. */
        public String message() {
            return rule.userMessage();
        }
    }
}
