package dev.capsule.core.osv;

import java.util.Locale;
import java.util.Optional;

/**
 * The qualitative severity of an advisory for one package, on CVSS's scale. {@link #of} takes the highest of every
 * source the advisory offers (conservative): CVSS v3.x base scores computed from the vector ({@link Cvss3}; 9.0 and
 * above is critical), and the qualitative {@code database_specific.severity} / {@code ecosystem_specific.severity}
 * (GitHub's LOW, MODERATE, HIGH, CRITICAL). Scores Capsule cannot compute (CVSS v2, v4 vectors) are not guessed at:
 * GitHub's npm advisories always carry the qualitative level too. With no readable source at all the level is
 * {@link #UNKNOWN}, which reviewers must treat as high.
 */
public enum AdvisorySeverity {
    UNKNOWN,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The severity of {@code advisory} for {@code pkg}: the affected entry's own scores replace the advisory's. */
    public static AdvisorySeverity of(Advisory advisory, PackageRef pkg) {
        AdvisorySeverity level = fromText(advisory.databaseSeverity()).orElse(UNKNOWN);
        boolean packageScores = false;
        for (AffectedPackage entry : advisory.affected()) {
            if (entry.pkg().samePackage(pkg)) {
                level = max(level, fromText(entry.specificSeverity()).orElse(UNKNOWN));
                for (SeverityScore score : entry.severity()) {
                    packageScores = true;
                    level = max(level, fromScore(score));
                }
            }
        }
        if (!packageScores) {
            for (SeverityScore score : advisory.severity()) {
                level = max(level, fromScore(score));
            }
        }
        return level;
    }

    /** CVSS v3.x qualitative rating of a base score (FIRST's table): 0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9+ critical. */
    public static AdvisorySeverity fromCvssScore(double score) {
        if (score >= 9.0) {
            return CRITICAL;
        }
        if (score >= 7.0) {
            return HIGH;
        }
        if (score >= 4.0) {
            return MEDIUM;
        }
        return score > 0 ? LOW : UNKNOWN;
    }

    private static AdvisorySeverity fromScore(SeverityScore score) {
        if (score.type().equals("CVSS_V3")) {
            return Cvss3.baseScore(score.score()).map(AdvisorySeverity::fromCvssScore).orElse(UNKNOWN);
        }
        return UNKNOWN;
    }

    static Optional<AdvisorySeverity> fromText(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.strip().toUpperCase(Locale.ROOT)) {
            case "LOW" -> Optional.of(LOW);
            case "MODERATE", "MEDIUM" -> Optional.of(MEDIUM);
            case "HIGH" -> Optional.of(HIGH);
            case "CRITICAL" -> Optional.of(CRITICAL);
            default -> Optional.empty();
        };
    }

    private static AdvisorySeverity max(AdvisorySeverity a, AdvisorySeverity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
