package dev.capsule.core.manifest;

import java.math.BigInteger;
import java.util.regex.Matcher;

/**
 * A Semantic Versioning 2.0.0 version as capsule.json's {@code version} holds it, ordered by SemVer precedence
 * (§11): major, minor, patch numerically; a pre-release sorts below its release; pre-release identifiers compare
 * numerically when both are numeric, numeric below alphanumeric, otherwise by ASCII; more identifiers win when all
 * before are equal. Build metadata is ignored for ordering (so {@code 1.0.0+a} and {@code 1.0.0+b} compare equal)
 * but kept in {@link #text()}.
 *
 * <p>Used wherever a version must not go down: rollback protection and minimum runtime versions.
 */
public record SemanticVersion(String text) implements Comparable<SemanticVersion> {
    public SemanticVersion {
        if (text == null || text.length() > CapsuleManifest.VERSION_CHARS_MAX || !CapsuleManifest.SEMVER.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + (text == null ? "" : dev.capsule.core.text.SafeText.escape(text, 80))
                    + "' is not a semantic version like 1.2.0");
        }
    }

    /** Parses {@code text}; the exception message says what is wrong in one line. */
    public static SemanticVersion parse(String text) {
        return new SemanticVersion(text);
    }

    /** Whether {@code text} is a valid semantic version (at most 64 characters). */
    public static boolean isValid(String text) {
        return text != null && text.length() <= CapsuleManifest.VERSION_CHARS_MAX && CapsuleManifest.SEMVER.matcher(text).matches();
    }

    @Override
    public int compareTo(SemanticVersion other) {
        Matcher a = matcher();
        Matcher b = other.matcher();
        for (int group = 1; group <= 3; group++) {
            int c = new BigInteger(a.group(group)).compareTo(new BigInteger(b.group(group)));
            if (c != 0) {
                return c;
            }
        }
        String preA = a.group(4);
        String preB = b.group(4);
        if (preA == null || preB == null) {
            return preA == null ? (preB == null ? 0 : 1) : -1;
        }
        String[] idsA = preA.split("\\.");
        String[] idsB = preB.split("\\.");
        for (int i = 0; i < Math.min(idsA.length, idsB.length); i++) {
            int c = compareIdentifier(idsA[i], idsB[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(idsA.length, idsB.length);
    }

    /** Whether this version is below {@code other} in precedence. */
    public boolean isLowerThan(SemanticVersion other) {
        return compareTo(other) < 0;
    }

    private static int compareIdentifier(String a, String b) {
        boolean numericA = a.chars().allMatch(Character::isDigit);
        boolean numericB = b.chars().allMatch(Character::isDigit);
        if (numericA && numericB) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }

    private Matcher matcher() {
        Matcher m = CapsuleManifest.SEMVER.matcher(text);
        if (!m.matches()) {
            throw new IllegalStateException("validated in the constructor");
        }
        return m;
    }

    @Override
    public String toString() {
        return text;
    }
}
