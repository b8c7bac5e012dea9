package dev.capsule.server.host;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An end user as the super-app names them in a session grant (its own account id, opaque to Capsule). A mini-program
 * never sees it: sessions get a pairwise id per mini-program derived from it.
 *
 * <p>Security guarantees: 1-128 characters of letters, digits and {@code . _ @ : -} only, so it can be printed,
 * logged and used as a key without escaping; {@link #toString()} does not reveal it (it is personal data).
 */
public record ShellUserId(String value) {
    public static final int CHARS_MAX = 128;
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._@:-]{1," + CHARS_MAX + "}");

    public ShellUserId {
        Objects.requireNonNull(value, "value");
        if (!RULE.matcher(value).matches()) {
            throw new IllegalArgumentException("a user is 1-" + CHARS_MAX + " characters of letters, digits and . _ @ : -");
        }
    }

    @Override
    public String toString() {
        return "ShellUserId[redacted]";
    }
}
