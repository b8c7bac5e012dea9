package dev.capsule.core.osv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version and its precedence (SemVer 2.0.0 §11): major, minor, patch compared numerically; a pre-release
 * sorts before its release; pre-release identifiers compared one by one, numeric ones numerically and below
 * alphanumeric ones, a shorter list first when all shared identifiers are equal; build metadata ignored.
 *
 * <p>Two readings of the text: {@link #parseStrict} is SemVer 2.0.0 exactly (OSV {@code SEMVER} ranges, "no leading
 * v"); {@link #parseNpm} is node-semver's non-loose parser, which npm uses for ordering (OSV {@code ECOSYSTEM}
 * ranges of npm): surrounding white space trimmed, an optional leading {@code v}, at most 256 characters, numeric
 * parts at most {@code Number.MAX_SAFE_INTEGER}. node-semver's {@code compare} is the same precedence, so the two
 * differ only in which strings they accept.
 *
 * <p>Numeric identifiers are kept as digit strings (no leading zeros, so longer means larger): SemVer puts no bound
 * on them and nothing overflows.
 */
public record SemVer(String major, String minor, String patch, List<String> prerelease) implements Comparable<SemVer> {
    /** node-semver's MAX_LENGTH. */
    public static final int NPM_CHARS_MAX = 256;
    /** node-semver's bound on each numeric part, Number.MAX_SAFE_INTEGER. */
    static final long NPM_NUMBER_MAX = 9007199254740991L;

    private static final String NUMBER = "0|[1-9]\\d*";
    private static final String PRE_ID = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final Pattern STRICT = Pattern.compile("(" + NUMBER + ")\\.(" + NUMBER + ")\\.(" + NUMBER + ")"
            + "(?:-(" + PRE_ID + "(?:\\." + PRE_ID + ")*))?"
            + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?");
    private static final Pattern NUMERIC = Pattern.compile("\\d+");

    public SemVer {
        prerelease = List.copyOf(prerelease);
    }

    /** SemVer 2.0.0 text exactly, or empty. */
    public static Optional<SemVer> parseStrict(String text) {
        if (text.length() > NPM_CHARS_MAX) {
            return Optional.empty();
        }
        return of(STRICT.matcher(text));
    }

    /** node-semver's non-loose reading (trimmed, optional leading "v"), or empty. */
    public static Optional<SemVer> parseNpm(String text) {
        if (text.length() > NPM_CHARS_MAX) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("v")) {
            trimmed = trimmed.substring(1);
        }
        Optional<SemVer> version = of(STRICT.matcher(trimmed));
        if (version.isPresent() && !(withinNpmBound(version.get().major) && withinNpmBound(version.get().minor)
                && withinNpmBound(version.get().patch))) {
            return Optional.empty();
        }
        return version;
    }

    private static boolean withinNpmBound(String digits) {
        return digits.length() < 16 || (digits.length() == 16 && Long.parseLong(digits) <= NPM_NUMBER_MAX);
    }

    private static Optional<SemVer> of(Matcher m) {
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return Optional.of(new SemVer(m.group(1), m.group(2), m.group(3), new ArrayList<>(pre)));
    }

    @Override
    public int compareTo(SemVer other) {
        int c = compareNumeric(major, other.major);
        if (c == 0) {
            c = compareNumeric(minor, other.minor);
        }
        if (c == 0) {
            c = compareNumeric(patch, other.patch);
        }
        if (c != 0) {
            return c;
        }
        // §11.3: a pre-release version has lower precedence than the normal version.
        if (prerelease.isEmpty() || other.prerelease.isEmpty()) {
            return Boolean.compare(prerelease.isEmpty(), other.prerelease.isEmpty());
        }
        for (int i = 0; i < Math.min(prerelease.size(), other.prerelease.size()); i++) {
            c = compareIdentifier(prerelease.get(i), other.prerelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(prerelease.size(), other.prerelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean numericA = NUMERIC.matcher(a).matches();
        boolean numericB = NUMERIC.matcher(b).matches();
        if (numericA && numericB) {
            return compareNumeric(a, b);
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1; // §11.4.3: numeric identifiers have lower precedence
        }
        return a.compareTo(b); // ASCII order: the identifiers are ASCII only
    }

    /** Digit strings without leading zeros: the longer one is larger, equal lengths compare as text. */
    private static int compareNumeric(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (prerelease.isEmpty() ? "" : "-" + String.join(".", prerelease));
    }
}
