package dev.capsule.core.osv;

import java.util.Objects;

/** One {@code severity[]} entry: a scoring method ({@code CVSS_V3}, {@code CVSS_V4}, …) and its score string. */
public record SeverityScore(String type, String score) {
    public static final int SCORE_CHARS_MAX = 256;

    public SeverityScore {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(score, "score");
        if (type.isEmpty() || type.length() > 32 || score.length() > SCORE_CHARS_MAX) {
            throw new IllegalArgumentException("severity type must be 1 to 32 characters and score at most " + SCORE_CHARS_MAX);
        }
    }
}
