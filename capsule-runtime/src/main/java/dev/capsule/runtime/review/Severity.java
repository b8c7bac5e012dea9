package dev.capsule.runtime.review;

import java.util.Locale;

/**
 * How much a {@link Finding} matters, from {@link #INFO} to {@link #CRITICAL}; the declaration order
 * is the order ({@code compareTo}: higher is worse). A {@link #CRITICAL} finding blocks approval
 * ({@link ReviewReport#blocking}) unless a security officer records an exception.
 *
 * <p>Security guarantees: the set and order are fixed; {@link #code} strings are stable (they are
 * stored with every report and read back by {@link #parse}, which refuses anything else).
 */
public enum Severity {
    /** Worth knowing; nothing to fix. */
    INFO,
    /** A hygiene issue (for example a declared personal-data API the code never calls). */
    LOW,
    /** Suspicious; a reviewer should look. */
    MEDIUM,
    /** Very likely a problem; a reviewer must justify approving. */
    HIGH,
    /** Blocks approval (a hard-coded private key, a package that does not pass the pack checks). */
    CRITICAL;

    /** The stable lower-case code: {@code info}, {@code low}, {@code medium}, {@code high}, {@code critical}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity whose {@link #code} is {@code code}. @throws IllegalArgumentException for anything else */
    public static Severity parse(String code) {
        for (Severity s : values()) {
            if (s.code().equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity (use info, low, medium, high or critical)");
    }
}
