package dev.capsule.core.osv;

import java.util.Objects;

/** One event of a range's timeline ({@code affected[].ranges[].events[]}): exactly one kind and its version. */
public record RangeEvent(Kind kind, String version) {
    /** A version string in an event is never longer (npm's own limit is 256). */
    public static final int VERSION_CHARS_MAX = 256;

    public enum Kind {
        INTRODUCED("introduced"),
        FIXED("fixed"),
        LAST_AFFECTED("last_affected"),
        LIMIT("limit");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The JSON field name of this kind. */
        public String field() {
            return field;
        }
    }

    public RangeEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        if (version.isEmpty() || version.length() > VERSION_CHARS_MAX) {
            throw new IllegalArgumentException(kind.field + " must be 1 to " + VERSION_CHARS_MAX + " characters");
        }
    }

    /** {@code introduced: "0"}: sorts before every version. */
    boolean isZero() {
        return kind == Kind.INTRODUCED && version.equals("0");
    }

    /** A {@code limit} containing "*": infinity. */
    boolean isInfinity() {
        return kind == Kind.LIMIT && version.contains("*");
    }
}
