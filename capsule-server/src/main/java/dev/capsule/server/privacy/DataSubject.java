package dev.capsule.server.privacy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person whose data the platform holds and who may ask to see or delete it: an end user, named as the super-app
 * names them (its own account id; the host's {@code ShellUserId} carries the same value). The privacy module has its
 * own type so that every module holding personal data can depend on it without depending on the host.
 *
 * <p>Security guarantees: 1-128 characters of letters, digits and {@code . _ @ : -} only (the host's rule), so it can
 * be used as a key without escaping; {@link #toString()} does not reveal it (it is personal data).
 */
public record DataSubject(String userId) {
    public static final int CHARS_MAX = 128;
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._@:-]{1," + CHARS_MAX + "}");

    public DataSubject {
        Objects.requireNonNull(userId, "userId");
        if (!RULE.matcher(userId).matches()) {
            throw new IllegalArgumentException("a user is 1-" + CHARS_MAX + " characters of letters, digits and . _ @ : -");
        }
    }

    @Override
    public String toString() {
        return "DataSubject[redacted]";
    }
}
