package dev.capsule.runtime.review;

import dev.capsule.core.text.SafeText;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One result of the automated review: which rule, how bad, where, and why in one line. Built by the
 * review rules of this package and by other scanners (the supply-chain scan creates findings with its
 * own rule ids and an {@link Advisory}); a {@link ReviewReport} collects them.
 *
 * <p>Security guarantees: every instance is valid: {@code rule} is a stable dotted lower-case id
 * ({@link #RULE}); {@code path}, if present, is non-blank, at most {@link #PATH_CHARS_MAX} characters;
 * {@code line} is 0 (not applicable) or positive, and positive only with a path; {@code explanation}
 * is one non-blank line of at most {@link #EXPLANATION_CHARS_MAX} characters with no control, format or
 * separator characters. Guest text quoted in an explanation must go through {@link #quote} first; the
 * constructor refuses anything unsafe rather than silently cleaning it. {@code path} and advisory
 * fields are guest- or remote-influenced and are escaped wherever a report prints them.
 *
 * @param rule the stable rule id, like {@code js.eval} or {@code osv.vulnerable}
 * @param severity how much it matters
 * @param path the package file it is about, or null when it is about the whole package
 * @param line the 1-based line in {@code path}, or 0 when not applicable
 * @param explanation one line saying what was found and why it matters
 * @param advisory for supply-chain findings: the advisory and the version that fixes it; null otherwise
 */
public record Finding(String rule, Severity severity, String path, int line, String explanation, Advisory advisory) {
    /** Rule ids: dotted lower-case words, like {@code secret.private-key}. */
    public static final Pattern RULE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)*");
    public static final int RULE_CHARS_MAX = 64;
    public static final int PATH_CHARS_MAX = 1024;
    public static final int EXPLANATION_CHARS_MAX = 500;
    /** Guest text quoted by {@link #quote} is cut to this many characters. */
    public static final int QUOTE_CHARS_MAX = 80;

    public Finding {
        Objects.requireNonNull(severity, "severity");
        if (rule == null || rule.length() > RULE_CHARS_MAX || !RULE.matcher(rule).matches()) {
            throw new IllegalArgumentException("a finding's rule id must be dotted lower-case words of at most " + RULE_CHARS_MAX + " characters");
        }
        if (path != null && (path.isBlank() || path.length() > PATH_CHARS_MAX)) {
            throw new IllegalArgumentException("a finding's path must be non-blank and at most " + PATH_CHARS_MAX + " characters");
        }
        if (line < 0 || (line > 0 && path == null)) {
            throw new IllegalArgumentException("a finding's line must be 0, or positive with a path");
        }
        if (explanation == null || explanation.isBlank() || explanation.length() > EXPLANATION_CHARS_MAX
                || explanation.codePoints().anyMatch(SafeText::isUnsafe)) {
            throw new IllegalArgumentException("a finding's explanation must be one non-blank line of at most "
                    + EXPLANATION_CHARS_MAX + " printable characters");
        }
    }

    /** A finding without an advisory. */
    public Finding(String rule, Severity severity, String path, int line, String explanation) {
        this(rule, severity, path, line, explanation, null);
    }

    /**
     * Guest text made fit to quote in an explanation: unsafe characters escaped ({@link SafeText}),
     * cut to {@link #QUOTE_CHARS_MAX} characters.
     */
    public static String quote(String guestText) {
        return SafeText.escape(guestText, QUOTE_CHARS_MAX);
    }

    /**
     * The advisory behind a supply-chain finding.
     *
     * @param id the advisory id, like {@code GHSA-xxxx-xxxx-xxxx} or {@code CVE-2024-1234}
     * @param fixedVersion the first version that fixes it, or null if none is known
     */
    public record Advisory(String id, String fixedVersion) {
        public static final int ID_CHARS_MAX = 128;
        public static final int VERSION_CHARS_MAX = 128;

        public Advisory {
            if (id == null || id.isBlank() || id.length() > ID_CHARS_MAX) {
                throw new IllegalArgumentException("an advisory id must be non-blank and at most " + ID_CHARS_MAX + " characters");
            }
            if (fixedVersion != null && (fixedVersion.isBlank() || fixedVersion.length() > VERSION_CHARS_MAX)) {
                throw new IllegalArgumentException("a fixed version must be non-blank and at most " + VERSION_CHARS_MAX + " characters");
            }
        }
    }
}
