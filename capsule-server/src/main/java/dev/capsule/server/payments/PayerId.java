package dev.capsule.server.payments;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The person paying, as the platform knows them: the host's shell user id (the super-app's own account id). Payment
 * records, wallets and card-token scopes are keyed by it; a mini-program and a merchant never see it (they see the
 * pairwise id of {@link Payer#appUserId()}). The host converts its {@code ShellUserId} to this type (the payments
 * module does not depend on the host).
 *
 * <p>Security guarantees: the same rule as the host's user id (1-128 of letters, digits and {@code . _ @ : -});
 * {@link #toString()} does not reveal it.
 */
public record PayerId(String value) {
    public static final int CHARS_MAX = 128;
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._@:-]{1," + CHARS_MAX + "}");

    public PayerId {
        Objects.requireNonNull(value, "value");
        if (!RULE.matcher(value).matches()) {
            throw new IllegalArgumentException("a payer is 1-" + CHARS_MAX + " characters of letters, digits and . _ @ : -");
        }
    }

    @Override
    public String toString() {
        return "PayerId[redacted]";
    }
}
