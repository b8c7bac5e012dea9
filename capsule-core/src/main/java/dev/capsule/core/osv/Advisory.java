package dev.capsule.core.osv;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An OSV advisory (https://ossf.github.io/osv-schema/), reduced to what matching and reporting need. Built by
 * {@link OsvParser}; fields a remote database influenced are validated here (the id is a restricted character set, so
 * it is safe to print; the summary is text and must be escaped where printed).
 *
 * @param withdrawn when the advisory was withdrawn, or null; a withdrawn advisory never matches
 * @param databaseSeverity the top-level {@code database_specific.severity} (GitHub's LOW/MODERATE/HIGH/CRITICAL), or null
 */
public record Advisory(String id, Instant modified, Instant published, Instant withdrawn, List<String> aliases, String summary,
        List<SeverityScore> severity, String databaseSeverity, List<AffectedPackage> affected) {
    public static final int ID_CHARS_MAX = 128;
    public static final int SUMMARY_CHARS_MAX = 1024;
    /** OSV ids are {@code PREFIX-rest}: letters, digits and {@code . _ : -} (GHSA-xxxx-xxxx-xxxx, CVE-2024-1, OSV-2020-584). */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    public Advisory {
        Objects.requireNonNull(id, "id");
        if (id.length() > ID_CHARS_MAX || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be letters, digits and . _ : - (at most " + ID_CHARS_MAX + ")");
        }
        Objects.requireNonNull(modified, "modified");
        aliases = List.copyOf(aliases);
        for (String alias : aliases) {
            if (alias.length() > ID_CHARS_MAX || !ID.matcher(alias).matches()) {
                throw new IllegalArgumentException("aliases must be advisory ids");
            }
        }
        summary = summary == null ? "" : summary;
        if (summary.length() > SUMMARY_CHARS_MAX) {
            // Never split a surrogate pair: the cut text must stay valid UTF-16.
            int end = Character.isHighSurrogate(summary.charAt(SUMMARY_CHARS_MAX - 1)) ? SUMMARY_CHARS_MAX - 1 : SUMMARY_CHARS_MAX;
            summary = summary.substring(0, end);
        }
        severity = List.copyOf(severity);
        affected = List.copyOf(affected);
    }

    public boolean isWithdrawn() {
        return withdrawn != null;
    }
}
