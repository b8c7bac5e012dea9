package dev.capsule.core.osv;

import java.util.List;
import java.util.Objects;

/**
 * One {@code affected[]} entry: the package, its ranges, its enumerated {@code versions}, its own
 * {@code severity[]} (used instead of the advisory's when present) and the qualitative severity a database or
 * ecosystem wrote into {@code database_specific.severity} / {@code ecosystem_specific.severity} (null when absent).
 */
public record AffectedPackage(PackageRef pkg, List<VersionRange> ranges, List<String> versions, List<SeverityScore> severity,
        String specificSeverity) {
    public AffectedPackage {
        Objects.requireNonNull(pkg, "package");
        ranges = List.copyOf(ranges);
        versions = List.copyOf(versions);
        severity = List.copyOf(severity);
    }
}
