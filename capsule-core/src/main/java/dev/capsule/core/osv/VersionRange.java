package dev.capsule.core.osv;

import java.util.List;
import java.util.Objects;

/**
 * One {@code affected[].ranges[]} entry. The constructor enforces the schema's requirements: at least one
 * {@code introduced}, never both {@code fixed} and {@code last_affected}; a {@code GIT} range needs its {@code repo}.
 */
public record VersionRange(RangeType type, String repo, List<RangeEvent> events) {
    public VersionRange {
        Objects.requireNonNull(type, "type");
        events = List.copyOf(events);
        if (events.stream().noneMatch(e -> e.kind() == RangeEvent.Kind.INTRODUCED)) {
            throw new IllegalArgumentException("a range needs at least one 'introduced' event");
        }
        boolean fixed = events.stream().anyMatch(e -> e.kind() == RangeEvent.Kind.FIXED);
        boolean lastAffected = events.stream().anyMatch(e -> e.kind() == RangeEvent.Kind.LAST_AFFECTED);
        if (fixed && lastAffected) {
            throw new IllegalArgumentException("a range may have 'fixed' or 'last_affected' events, not both");
        }
        if (type == RangeType.GIT && (repo == null || repo.isEmpty())) {
            throw new IllegalArgumentException("a GIT range needs 'repo'");
        }
    }
}
