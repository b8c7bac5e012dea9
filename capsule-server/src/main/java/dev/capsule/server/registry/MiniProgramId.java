package dev.capsule.server.registry;

import dev.capsule.core.pkg.AppIdPattern;
import java.util.Objects;
import java.util.Optional;

/**
 * A mini-program's id: the {@code id} of its capsule.json (reverse-DNS, lower case, like
 * {@code com.example.todo}). Each id belongs to exactly one developer organisation in the registry.
 *
 * <p>Security guarantees: only a string that is an exact app id under core's {@link AppIdPattern}
 * rule (no {@code *}, no namespace) is ever a {@code MiniProgramId}; {@link #parse} answers empty,
 * never a guess, for anything else.
 */
public record MiniProgramId(String value) {
    public MiniProgramId {
        Objects.requireNonNull(value, "value");
        if (!isAppId(value)) {
            throw new IllegalArgumentException("a mini-program id is reverse-DNS in lower case, like com.example.todo");
        }
    }

    public static MiniProgramId of(String value) {
        return new MiniProgramId(value);
    }

    /** The id this text names, or empty when it is not an app id. */
    public static Optional<MiniProgramId> parse(String text) {
        return text != null && isAppId(text) ? Optional.of(new MiniProgramId(text)) : Optional.empty();
    }

    private static boolean isAppId(String text) {
        // core's one app id rule: an exact pattern is an app id (a namespace ends in ".*", "*" is every id)
        if (text.contains("*")) {
            return false;
        }
        try {
            AppIdPattern.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
