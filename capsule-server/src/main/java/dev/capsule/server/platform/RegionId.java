package dev.capsule.server.platform;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A data-residency region: a name the operator gives to a place data may be stored ("eu-west", "sg"), tagged into
 * every database that stores that region's data ({@link Residency}, docs/residency.md).
 *
 * <p>Security guarantees: 1-{@value #CHARS_MAX} characters, lower-case words of letters and digits joined by hyphens,
 * so it can be printed, logged and put in a path without escaping; it names a place, never a person.
 */
public record RegionId(String value) {
    /** The most characters of a region's name. */
    public static final int CHARS_MAX = 32;
    private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public RegionId {
        Objects.requireNonNull(value, "value");
        if (value.length() > CHARS_MAX || !RULE.matcher(value).matches()) {
            throw new IllegalArgumentException("a region is 1-" + CHARS_MAX
                    + " characters: lower-case letters and digits in words joined by hyphens, starting with a letter (eu-west)");
        }
    }

    /** The region named {@code text}, or empty when it is not a region's name. */
    public static Optional<RegionId> parse(String text) {
        try {
            return Optional.of(new RegionId(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
